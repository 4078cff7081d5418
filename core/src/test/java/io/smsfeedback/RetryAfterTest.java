package io.smsfeedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z"); // a Thursday

  @Test
  void seconds_areADelay() {
    assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
  }

  @Test
  void hugeSeconds_areCappedNotOverflowed() {
    assertThat(RetryAfter.parse("99999999999999999999", NOW)).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void imfFixdate_isADelayFromNow() {
    assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void obsoleteDateForms_areAccepted() {
    assertThat(RetryAfter.parse("Thursday, 01-Jan-26 00:01:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(1));
    assertThat(RetryAfter.parse("Thu Jan  1 00:00:10 2026", NOW)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void dateInThePast_meansNoWait() {
    assertThat(RetryAfter.parse("Wed, 31 Dec 2025 23:59:00 GMT", NOW)).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "soon", "-5", "1.5", "10s", "Thu, 01 Jan 2026 00:00:30 UTC",
      "2026-01-01T00:00:30Z", "Thu, 32 Jan 2026 00:00:30 GMT"})
  void malformed_isAbsent(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isNull();
  }

  @Test
  void absentOrOverlong_isAbsent() {
    assertThat(RetryAfter.parse(null, NOW)).isNull();
    assertThat(RetryAfter.parse("1".repeat(100), NOW)).isNull();
  }

  @Test
  void publicHelper_delegates() {
    assertThat(TransportResult.parseRetryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
  }
}
