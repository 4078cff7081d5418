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

class SmsCodeServiceTest {

  private final ManualClock clock = new ManualClock();

  private SmsCodeService service(int maxCodes) {
    return new SmsCodeService(
        new OttSettings(
            6, Duration.ofMinutes(5), 5, maxCodes, "Your code is {code}", "/login/ott", "/login"),
        clock);
  }

  private final SmsCodeService service = service(1000);

  private String generate(String username) {
    return service.generate(new GenerateOneTimeTokenRequest(username)).getTokenValue();
  }

  private OneTimeToken consume(String username, String code) {
    return service.consume(new SmsCodeAuthenticationToken(username, code));
  }

  private static String wrong(String code) {
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
    assertThat(service.size()).as("four typos keep it").isEqualTo(1);
    assertThat(consume("alice", wrong(code))).isNull();
    assertThat(service.size()).isZero();
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

  @Test
  void generate_whenFull_purgesExpiredCodesFirst() {
    SmsCodeService small = service(2);
    small.generate(new GenerateOneTimeTokenRequest("old"));
    clock.advance(Duration.ofMinutes(4));
    String bobs = small.generate(new GenerateOneTimeTokenRequest("bob")).getTokenValue();
    clock.advance(Duration.ofMinutes(2)); // old's code expired, bob's not
    small.generate(new GenerateOneTimeTokenRequest("carol"));
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.consume(new SmsCodeAuthenticationToken("bob", bobs))).isNotNull();
  }

  @Test
  void generate_whenFullOfLiveCodes_dropsTheOldest() {
    SmsCodeService small = service(2);
    String a = small.generate(new GenerateOneTimeTokenRequest("a")).getTokenValue();
    String b = small.generate(new GenerateOneTimeTokenRequest("b")).getTokenValue();
    String c = small.generate(new GenerateOneTimeTokenRequest("c")).getTokenValue();
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.consume(new SmsCodeAuthenticationToken("a", a))).isNull();
    assertThat(small.consume(new SmsCodeAuthenticationToken("b", b))).isNotNull();
    assertThat(small.consume(new SmsCodeAuthenticationToken("c", c))).isNotNull();
  }
}
