package io.smsfeedback;

import java.time.Duration;

/**
 * Delivers {@link Feedback} to 8x8's Success Feedback API asynchronously: a bounded queue, a
 * dispatcher with an in-flight limit, deadline-aware retries, exact accounting.
 *
 * <p><b>Threading.</b> All methods are thread-safe. {@link #report} never blocks and never throws
 * (also after {@link #close()}): it is an offer on a bounded queue.
 *
 * <p><b>Terminal states.</b> Every accepted feedback ends exactly once as {@link
 * DeliveryState#DELIVERED}, {@link DeliveryState#REJECTED}, {@link DeliveryState#EXPIRED} or
 * {@link DeliveryState#DROPPED}; {@link #stats()} satisfies {@code accepted = delivered + rejected +
 * expired + dropped + queued + inFlight} at every moment.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops intake, delivers what it can within the settings'
 * shutdown timeout, counts the rest as dropped (reason shutdown) and is idempotent.
 */
public interface FeedbackReporter extends AutoCloseable {

  /**
   * Offers a feedback for delivery. Returns {@code true} if it was accepted (it will reach a terminal
   * state), {@code false} if it was refused: a duplicate of a umid already accepted, the queue full
   * (counted as dropped), or the reporter closed (counted as dropped). Never blocks, never throws.
   */
  boolean report(Feedback feedback);

  /** A consistent snapshot of the counters. Cheap; safe to call from any thread. */
  ReporterStats stats();

  /**
   * Waits until nothing is queued or in flight, or the timeout passes.
   *
   * @return {@code true} if everything accepted so far reached a terminal state
   */
  boolean flush(Duration timeout);

  /** Stops intake, drains within the shutdown timeout, releases threads and connections. Idempotent. */
  @Override
  void close();
}
