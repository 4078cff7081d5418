package io.smsfeedback.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.SentOtp;
import io.smsfeedback.servlet.internal.SessionValues.Ignored;
import io.smsfeedback.servlet.internal.SessionValues.Parsed;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionValuesTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final UUID U = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

  Parsed parse(Object value) {
    return SessionValues.parse(value, "sub-1", NOW);
  }

  @Test
  void parse_stringUuidAndSentOtp() {
    assertThat(parse(U.toString()).otp()).isEqualTo(new SentOtp("sub-1", U, NOW));
    assertThat(parse(U.toString().toUpperCase()).otp()).isEqualTo(new SentOtp("sub-1", U, NOW));
    assertThat(parse(U).otp()).isEqualTo(new SentOtp("sub-1", U, NOW));
    SentOtp stored = new SentOtp("other", U, NOW.minusSeconds(60));
    assertThat(parse(stored).otp()).isSameAs(stored);
  }

  @Test
  void parse_absentAndBlankAreNeitherOtpNorIgnored() {
    assertThat(parse(null)).isEqualTo(new Parsed(null, null));
    assertThat(parse("")).isEqualTo(new Parsed(null, null));
    assertThat(parse("   ")).isEqualTo(new Parsed(null, null));
  }

  @Test
  void parse_ignoresWhatItDoesNotUnderstand() {
    assertThat(parse(42).ignored()).isEqualTo(Ignored.OTHER_TYPE);
    assertThat(parse(new StringBuilder(U.toString())).ignored()).isEqualTo(Ignored.OTHER_TYPE);
    assertThat(parse("not-a-uuid").ignored()).isEqualTo(Ignored.NOT_A_UUID);
    assertThat(parse(" " + U).ignored()).isEqualTo(Ignored.NOT_A_UUID);
    assertThat(parse("0f8fad5b-d9cb-469f-a165-70867728950").ignored())
        .isEqualTo(Ignored.NOT_A_UUID);
    assertThat(parse("1-1-1-1-1").ignored()).isEqualTo(Ignored.NOT_A_UUID);
    assertThat(parse("x".repeat(65)).ignored()).isEqualTo(Ignored.OVERSIZED);
    assertThat(parse("x".repeat(10_000_000)).ignored()).isEqualTo(Ignored.OVERSIZED);
    assertThat(parse("x".repeat(64)).ignored()).isEqualTo(Ignored.NOT_A_UUID);
  }

  @Test
  void key_valueForImmutablesIdentityOtherwise() {
    assertThat(SessionValues.key("a")).isEqualTo(SessionValues.key(new String("a")));
    Object o = new Object();
    assertThat(SessionValues.key(o))
        .isEqualTo(SessionValues.key(o))
        .isNotEqualTo(SessionValues.key(new Object()));
  }
}
