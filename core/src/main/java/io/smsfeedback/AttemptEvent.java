package io.smsfeedback;

import java.time.Duration;
import java.time.Instant;

/**
 * One finished delivery attempt, as seen by a {@link FeedbackListener}.
 *
 * @param feedback what was sent
 * @param attempt 1 for the first try, 2 for the first retry, and so on
 * @param result the classified answer (a timeout or I/O error is a retryable result with status 0)
 * @param duration how long the attempt took
 * @param at when it finished
 */
public record AttemptEvent(
    Feedback feedback, int attempt, TransportResult result, Duration duration, Instant at) {

  /** {@code 2xx}, {@code 4xx}, {@code 5xx}, ... or {@code io}: a low-cardinality metrics tag. */
  public String statusClass() {
    return result.statusClass();
  }
}
