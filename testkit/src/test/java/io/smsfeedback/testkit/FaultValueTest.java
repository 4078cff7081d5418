package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The {@link Fault} values themselves. */
class FaultValueTest {

  @Test
  void factories_setKindStatusAndProcessing() {
    assertThat(Fault.status(503).kind()).isEqualTo(Fault.Kind.RESPOND);
    assertThat(Fault.status(503).status()).isEqualTo(503);
    assertThat(Fault.status(503).isAfterProcessing()).isFalse();
    assertThat(Fault.hang().kind()).isEqualTo(Fault.Kind.HANG);
    assertThat(Fault.closeBeforeAnswer().kind()).isEqualTo(Fault.Kind.CLOSE);
    assertThat(Fault.resetMidBody().kind()).isEqualTo(Fault.Kind.RESET_MID_BODY);
    assertThat(Fault.malformedBody().isAfterProcessing()).isTrue();
    assertThat(Fault.wrongContentLength().isAfterProcessing()).isTrue();
    assertThat(Fault.none().kind()).isEqualTo(Fault.Kind.PASS);
    assertThat(Fault.hang().afterProcessing().isAfterProcessing()).isTrue();
  }

  @Test
  void invalidArguments_areRefused() {
    assertThatThrownBy(() -> Fault.status(99)).hasMessageContaining("99");
    assertThatThrownBy(() -> Fault.status(600)).hasMessageContaining("600");
    assertThatThrownBy(() -> Fault.latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.latency(Duration.ofMillis(20), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.tooManyRequests(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(500).withHeader("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(500).withHeader("X", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooManyRequests_roundsRetryAfterUpToWholeSeconds() {
    assertThat(Fault.tooManyRequests(Duration.ofSeconds(3)).headers())
        .containsEntry("Retry-After", "3");
    assertThat(Fault.tooManyRequests(Duration.ofMillis(1)).headers())
        .containsEntry("Retry-After", "1");
    assertThat(Fault.tooManyRequests(Duration.ZERO).headers()).containsEntry("Retry-After", "0");
  }

  @RepeatedTest(20)
  void randomLatency_isSampledWithinBounds() {
    Fault fault = Fault.latency(Duration.ofMillis(10), Duration.ofMillis(20));
    assertThat(fault.sampleLatency()).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
  }

  @Test
  void copies_leaveTheOriginalUnchanged() {
    Fault base = Fault.status(503);
    Fault tuned = base.withLatency(Duration.ofMillis(5)).withHeader("X", "1").afterProcessing();

    assertThat(base.maxLatency()).isZero();
    assertThat(base.headers()).isEmpty();
    assertThat(base.isAfterProcessing()).isFalse();
    assertThat(tuned.maxLatency()).isEqualTo(Duration.ofMillis(5));
    assertThat(tuned.headers()).containsEntry("X", "1");
    assertThat(tuned.isAfterProcessing()).isTrue();
  }

  @Test
  void toString_describesTheFault() {
    assertThat(Fault.status(503)).hasToString("status 503");
    assertThat(Fault.latency(Duration.ofMillis(200))).hasToString("normal answer after 200 ms");
    assertThat(Fault.hang().withLatency(Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasToString("hang after 1..2 ms");
    assertThat(Fault.closeBeforeAnswer().afterProcessing())
        .hasToString("close before answer (after processing)");
  }
}
