package io.smsfeedback.internal.reporter;

import io.smsfeedback.TransportResult;

/**
 * How many attempts may be in flight: a limit that adapts to the network, between a floor of
 * {@link #BASE} (the old fixed default; the ceiling if that is lower) and {@code
 * max-concurrent-requests}, the ceiling. It starts at the floor. Additive increase, multiplicative
 * decrease, with a slow start:
 *
 * <ul>
 *   <li>A healthy answer (2xx, or a 4xx other than 408 and 429) that came while a backlog waited
 *       for a free slot (or for a {@code Retry-After} pause to end) grows the limit: by one per answer below the threshold (slow start: the
 *       limit doubles per round trip), by one per round trip's worth of answers above it. An
 *       answer with no backlog waiting does not grow it: the limit must not climb while the app
 *       is quiet.
 *   <li>Congestion (429, 503, 504 without {@code Retry-After}, a timeout) halves the limit, once
 *       per window: the answers of attempts started before the last decrease tell of the old,
 *       larger window and are ignored, so a burst of 429s to one window halves the limit once, not
 *       once per answer. The threshold drops to the new limit, so the limit grows back slowly
 *       (additively).
 *   <li>Other answers (500, 502, I/O errors such as a refused connection) change nothing: an
 *       outage must neither grow the limit nor be mistaken for overload. Nor does an overload
 *       answer with a {@code Retry-After}: the schedule pauses every new attempt for it; halving
 *       too would, when 8x8 rate-limits a share of the requests, take the limit to its floor and
 *       delivery to {@code floor ÷ (Retry-After + RTT)}.
 * </ul>
 *
 * <p>Pure arithmetic, no clock and no threads: not thread-safe, guarded by the reporter's
 * dispatcher lock like the rest of its state. {@code Retry-After} is not its business: the {@link
 * DeliverySchedule} pauses every attempt for it, as before.
 */
final class ConcurrencyLimit {

  /**
   * The floor and start (capped by the ceiling): the fixed limit of earlier versions, so the limit
   * only ever adds concurrency above what they used, and a ceiling of 16 or less is a fixed limit.
   */
  static final int BASE = 16;

  private final int ceiling;
  private final int floor;
  private int limit;
  /** Below it the limit grows by one per healthy answer; at or above, by one per window. */
  private int threshold;
  /** Healthy answers counted towards the next additive increase. */
  private int credit;
  /** Incremented by every decrease; an attempt remembers the window it started in. */
  private long window;

  ConcurrencyLimit(int ceiling) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("ceiling must be at least 1: " + ceiling);
    }
    this.ceiling = ceiling;
    this.floor = Math.min(BASE, ceiling);
    this.limit = floor;
    this.threshold = ceiling;
  }

  /** How many attempts may be in flight now. */
  int limit() {
    return limit;
  }

  int ceiling() {
    return ceiling;
  }

  int floor() {
    return floor;
  }

  /** The window an attempt starting now belongs to; hand it back with its answer. */
  long window() {
    return window;
  }

  /**
   * Counts an answer to an attempt started in {@code startedIn}; {@code backlog} tells whether
   * feedbacks were ready and waiting for a slot when it came.
   */
  void answered(TransportResult result, long startedIn, boolean backlog) {
    if (congestion(result)) {
      congested(startedIn);
    } else if (backlog && !result.isRetryable()) {
      healthy(); // 8x8 answered: delivered or rejected, not a 408/429, 5xx or I/O error
    }
  }

  /**
   * Whether {@code result} says 8x8 (or the way to it) is overloaded, without saying for how long:
   * a {@code Retry-After} is obeyed by pausing every new attempt, which is response enough.
   */
  static boolean congestion(TransportResult result) {
    int status = result.status();
    if (status == 429 || status == 503 || status == 504) {
      return result.retryAfter() == null;
    }
    String error = result.ioError();
    return error != null && (error.equals("timeout") || error.endsWith("TimeoutException"));
  }

  private void healthy() {
    if (limit >= ceiling) {
      credit = 0;
      return;
    }
    if (limit < threshold) {
      limit++;
      return;
    }
    if (++credit >= limit) {
      credit = 0;
      limit++;
    }
  }

  private void congested(long startedIn) {
    if (startedIn < window) {
      return; // this window was halved already
    }
    window++;
    limit = Math.max(floor, limit / 2);
    threshold = limit;
    credit = 0;
  }

  @Override
  public String toString() {
    return "ConcurrencyLimit{limit=" + limit + ", threshold=" + threshold + ", ceiling=" + ceiling
        + '}';
  }
}
