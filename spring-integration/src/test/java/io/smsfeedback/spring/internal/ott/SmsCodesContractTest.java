package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testing.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

/** The rules every {@link SmsCodes} keeps, with an injected clock. */
abstract class SmsCodesContractTest {

  static final OttSettings SETTINGS = settings(1000);

  final ManualClock clock = new ManualClock();

  final SmsCodes service = create(SETTINGS);

  static OttSettings settings(int maxCodes) {
    return new OttSettings(
        6, Duration.ofMinutes(5), 5, maxCodes, "Your code is {code}", "/login/ott", "/login");
  }

  abstract SmsCodes create(OttSettings settings);

  /** Codes the service holds now. */
  abstract int size();

  String generate(String username) {
    return service.generate(new GenerateOneTimeTokenRequest(username)).getTokenValue();
  }

  OneTimeToken consume(String username, String code) {
    return service.consume(new SmsCodeAuthenticationToken(username, code));
  }

  static String wrong(String code) {
    return code.equals("000000") ? "000001" : "000000";
  }

  @Test
  void generate_makesNumericCodesOfTheConfiguredLength() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String code = generate("user" + i);
      assertThat(code).matches("[0-9]{6}");
      seen.add(code);
    }
    assertThat(seen).hasSizeGreaterThan(150);
  }

  @Test
  void consume_rightCodeOfTheUser_succeedsOnce() {
    String code = generate("alice");
    OneTimeToken consumed = consume("alice", code);
    assertThat(consumed).isNotNull();
    assertThat(consumed.getUsername()).isEqualTo("alice");
    assertThat(consume("alice", code)).as("single use").isNull();
  }

  @Test
  void consume_codeOfAnotherUser_neverAuthenticates() {
    String alices = generate("alice");
    generate("bob");
    assertThat(consume("bob", alices)).isNull();
    assertThat(consume("alice", alices)).as("alice's code survives bob's try").isNotNull();
  }

  @Test
  void consume_tokenWithoutUser_isNeverLookedUpByValue() {
    String code = generate("alice");
    assertThat(service.consume(new OneTimeTokenAuthenticationToken(code))).isNull();
    assertThat(consume("alice", code)).isNotNull();
  }

  @Test
  void consume_typoKeepsTheCode() {
    String code = generate("alice");
    assertThat(consume("alice", wrong(code))).isNull();
    assertThat(consume("alice", code)).isNotNull();
  }

  @Test
  void consume_fifthWrongCodeEndsIt() {
    String code = generate("alice");
    for (int i = 0; i < 4; i++) {
      assertThat(consume("alice", wrong(code))).isNull();
    }
    assertThat(size()).as("four typos keep it").isEqualTo(1);
    assertThat(consume("alice", wrong(code))).isNull();
    assertThat(size()).isZero();
    assertThat(consume("alice", code)).isNull();
  }

  @Test
  void consume_afterExpiry_fails() {
    String code = generate("alice");
    clock.advance(Duration.ofMinutes(5));
    assertThat(consume("alice", code)).isNull();
  }

  @Test
  void consume_justBeforeExpiry_succeeds() {
    String code = generate("alice");
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(consume("alice", code)).isNotNull();
  }

  @Test
  void generate_resendEndsTheFirstCode() {
    String first = generate("alice");
    String second = generate("alice");
    if (!first.equals(second)) {
      assertThat(consume("alice", first)).isNull();
    }
    assertThat(consume("alice", second)).isNotNull();
  }

  @Test
  void consume_toleratesSurroundingSpaces() {
    String code = generate("alice");
    assertThat(consume("alice", " " + code + " ")).isNotNull();
  }

  @Test
  void discard_dropsTheCode() {
    String code = generate("alice");
    service.discard("alice");
    assertThat(consume("alice", code)).isNull();
  }
}
