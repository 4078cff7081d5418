package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The retry policy alone: plain arithmetic, no reporter, no threads, no clock. */
class RetryPolicyTest {

  private static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");
  private static final long NOW = Nanos.epoch(T0);

  private static FeedbackSettings settings() {
    return FeedbackSettings.builder()
        .apiKey("test-key-000000000000")
        .subAccountId("acme-otp")
        .baseUrl(URI.create("http://127.0.0.1:9"))
        .validity(Duration.ofMinutes(12))
        .connectTimeout(Duration.ofSeconds(2))
        .responseTimeout(Duration.ofSeconds(3))
        .retryInitialBackoff(Duration.ofSeconds(1))
        .retryMaxBackoff(Duration.ofSeconds(8))
        .build();
  }

  private static RetryPolicy policy(DoubleSupplier jitter) {
    return new RetryPolicy(settings(), jitter);
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  private static TransportResult unavailable(Duration retryAfter) {
    return TransportResult.ofStatus(503, retryAfter, null, null, null);
  }

  @Test
  void backoff_doublesFromTheInitialUpToTheMaximum_scaledByTheJitter() {
    RetryPolicy p = policy(() -> 0.5);
    List<Duration> delays =
        List.of(1, 2, 3, 4, 5, 6).stream().map(p::backoff).toList();
    assertThat(delays)
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4));
  }

  @Test
  void backoff_staysAtTheMaximumWhereTheShiftWouldOverflow() {
    RetryPolicy p = policy(() -> 0.5);
    for (int failures : new int[] {31, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(p.backoff(failures)).as("after %s failures", failures).isEqualTo(Duration.ofSeconds(4));
    }
  }

  @Test
  void backoff_treatsJitterOutsideZeroToOneAsItsNearestBound() {
    assertThat(policy(() -> Double.NaN).backoff(1)).isZero();
    assertThat(policy(() -> -3).backoff(1)).isZero();
    Duration top = policy(() -> 7).backoff(1);
    assertThat(top).isLessThan(Duration.ofSeconds(1)).isGreaterThan(Duration.ofMillis(999));
    assertThat(policy(() -> 1.0).backoff(1)).isEqualTo(top);
  }

  @Test
  void backoff_drawsAFreshJitterValueEachTime() {
    double[] values = {0.25, 0.75};
    int[] next = {0};
    RetryPolicy p = policy(() -> values[next[0]++]);
    assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void pause_isTheRetryAfterCappedAtTheValidity() {
    RetryPolicy p = policy(() -> 0.5);
    assertThat(p.pause(unavailable(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.pause(unavailable(Duration.ofHours(2)))).isEqualTo(Duration.ofMinutes(12));
    assertThat(p.pause(TransportResult.ofStatus(503))).isNull();
    assertThat(p.pause(TransportResult.ioError("ConnectException"))).isNull();
  }

  @Test
  void retryAt_waitsThePauseInsteadOfTheBackoff() {
    RetryPolicy p = policy(() -> 0.5);
    long deadline = NOW + Duration.ofMinutes(12).toNanos();
    assertThat(p.retryAt(NOW, null, 3, deadline)).isEqualTo(NOW + ms(2_000));
    assertThat(p.retryAt(NOW, Duration.ofSeconds(30), 3, deadline)).isEqualTo(NOW + ms(30_000));
  }

  @Test
  void retryAt_isNeverAfterTheLastStart() {
    RetryPolicy p = policy(() -> 0.5);
    long deadline = NOW + ms(1_000);
    assertThat(p.retryAt(NOW, null, 4, deadline)).isEqualTo(deadline - ms(100));
    assertThat(p.retryAt(NOW, Duration.ofSeconds(30), 1, deadline)).isEqualTo(deadline - ms(100));
  }

  @Test
  void expired_fromOneHundredMillisecondsBeforeTheDeadline() {
    long deadline = NOW + ms(1_000);
    assertThat(RetryPolicy.expired(deadline - ms(100) - 1, deadline)).isFalse();
    assertThat(RetryPolicy.expired(deadline - ms(100), deadline)).isTrue();
    assertThat(RetryPolicy.expired(deadline + ms(5), deadline)).isTrue();
    assertThat(RetryPolicy.lastStart(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void attemptTimeout_isConnectPlusResponseTimeout_cappedByTheTimeLeft() {
    RetryPolicy p = policy(() -> 0.5);
    long far = NOW + Duration.ofMinutes(12).toNanos();
    assertThat(p.attemptTimeout(NOW, far, Long.MAX_VALUE)).isEqualTo(ms(5_000));
    assertThat(p.attemptTimeout(NOW, NOW + ms(2_000), Long.MAX_VALUE)).isEqualTo(ms(2_000));
    assertThat(p.attemptTimeout(NOW, far, NOW + ms(1_500))).as("shutdown first").isEqualTo(ms(1_500));
  }

  @Test
  void attemptTimeout_isZeroWhenOneHundredMillisecondsOrLessAreLeft() {
    RetryPolicy p = policy(() -> 0.5);
    assertThat(p.attemptTimeout(NOW, NOW + ms(100), Long.MAX_VALUE)).isZero();
    assertThat(p.attemptTimeout(NOW, NOW + ms(100) + 1, Long.MAX_VALUE)).isEqualTo(ms(100) + 1);
    assertThat(p.attemptTimeout(NOW, Long.MAX_VALUE, NOW + ms(50))).isZero();
  }

  @Test
  void deadline_isTheSendTimePlusTheValidity() {
    Instant sentAt = T0.minusSeconds(60);
    Feedback f =
        Feedback.of(
            SentOtp.of("acme-otp", UUID.randomUUID().toString(), sentAt), Outcome.SUCCESS, T0, T0);
    assertThat(policy(() -> 0.5).deadline(f))
        .isEqualTo(Nanos.epoch(sentAt.plus(Duration.ofMinutes(12))));
  }
}
