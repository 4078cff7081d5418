package io.smsfeedback.internal.reporter;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.TransportResult;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When a feedback may be attempted, for how long, and when again after a failure: deadlines,
 * per-attempt timeouts, exponential backoff with full jitter and the {@code Retry-After} cap. Pure
 * arithmetic on epoch nanoseconds ({@link Nanos}); it holds no state but its settings and the
 * jitter source, so it is thread-safe if the jitter source is.
 */
final class RetryPolicy {

  /** No attempt starts with this little time (or less) left before its deadline: it expires. */
  static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(100);

  private static final long MIN_ATTEMPT_NANOS = MIN_ATTEMPT_TIME.toNanos();

  private final Duration validity;
  private final long validityNanos;
  private final long attemptTimeoutNanos;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final DoubleSupplier jitter;

  RetryPolicy(FeedbackSettings settings, DoubleSupplier jitter) {
    this.validity = settings.validity();
    this.validityNanos = Nanos.of(validity);
    this.attemptTimeoutNanos =
        Nanos.of(settings.connectTimeout().plus(settings.responseTimeout()));
    this.initialBackoffNanos = Nanos.of(settings.retryInitialBackoff());
    this.maxBackoffNanos = Nanos.of(settings.retryMaxBackoff());
    this.jitter = jitter;
  }

  /** {@code sentAt + validity}, in epoch nanoseconds. */
  long deadline(Feedback feedback) {
    return Nanos.plus(Nanos.epoch(feedback.otp().sentAt()), validityNanos);
  }

  /** The last moment an attempt may start: {@link #MIN_ATTEMPT_TIME} before the deadline. */
  static long lastStart(long deadline) {
    return Nanos.minus(deadline, MIN_ATTEMPT_NANOS);
  }

  /** Whether a feedback due by {@code deadline} can no longer be attempted at {@code now}. */
  static boolean expired(long now, long deadline) {
    return now >= lastStart(deadline);
  }

  /**
   * The timeout of an attempt starting at {@code now}: the configured connect plus response timeout,
   * capped by the time left before the deadline or {@code stopAt} (the shutdown), whichever comes
   * first; 0 if that leaves no more than {@link #MIN_ATTEMPT_TIME}, when no attempt may start.
   */
  long attemptTimeout(long now, long deadline, long stopAt) {
    long left = Nanos.minus(Math.min(deadline, stopAt), now);
    return left <= MIN_ATTEMPT_NANOS ? 0 : Math.min(left, attemptTimeoutNanos);
  }

  /**
   * The pause that {@code result}'s {@code Retry-After} asks of the whole reporter, capped at the
   * validity; null if it asked none.
   */
  @Nullable Duration pause(TransportResult result) {
    Duration retryAfter = result.retryAfter();
    if (retryAfter == null) {
      return null;
    }
    return retryAfter.compareTo(validity) > 0 ? validity : retryAfter;
  }

  /**
   * When the next attempt of a feedback due by {@code deadline} may start, after its {@code
   * failures}-th failed attempt ended at {@code now} with {@code pause} asked (or null): after the
   * pause if one was asked, else after a {@link #backoff}; never after its last start.
   */
  long retryAt(long now, @Nullable Duration pause, int failures, long deadline) {
    Duration delay = pause != null ? pause : backoff(failures);
    return Math.min(Nanos.plus(now, Nanos.of(delay)), lastStart(deadline));
  }

  /** Full jitter: {@code random[0,1) * min(maxBackoff, initialBackoff * 2^(failures-1))}. */
  Duration backoff(int failures) {
    long initial = initialBackoffNanos;
    long max = maxBackoffNanos;
    int n = failures - 1;
    long cap = n >= 62 || initial > (max >> n) ? max : Math.min(max, initial << n);
    double j = jitter.getAsDouble();
    if (!(j >= 0)) {
      j = 0; // also NaN
    } else if (j >= 1) {
      j = Math.nextDown(1.0);
    }
    return Duration.ofNanos((long) (j * cap));
  }
}
