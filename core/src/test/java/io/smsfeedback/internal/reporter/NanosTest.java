package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NanosTest {

  @Test
  void epoch_isExactInRange_andSaturatesOutsideIt() {
    Instant t = Instant.parse("2026-12-03T07:00:00.123456789Z");
    assertThat(Nanos.epoch(t)).isEqualTo(t.getEpochSecond() * 1_000_000_000L + 123_456_789);
    assertThat(Nanos.epoch(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.epoch(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void of_saturatesDurationsBeyondALong() {
    assertThat(Nanos.of(Duration.ofMillis(1))).isEqualTo(1_000_000);
    assertThat(Nanos.of(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.of(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void plusAndMinus_saturateInsteadOfWrapping() {
    assertThat(Nanos.plus(5, 7)).isEqualTo(12);
    assertThat(Nanos.plus(Long.MAX_VALUE - 1, 5)).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.plus(Long.MIN_VALUE + 1, -5)).isEqualTo(Long.MIN_VALUE);
    assertThat(Nanos.minus(5, 7)).isEqualTo(-2);
    assertThat(Nanos.minus(Long.MIN_VALUE + 1, 5)).isEqualTo(Long.MIN_VALUE);
    assertThat(Nanos.minus(Long.MAX_VALUE - 1, -5)).isEqualTo(Long.MAX_VALUE);
  }
}
