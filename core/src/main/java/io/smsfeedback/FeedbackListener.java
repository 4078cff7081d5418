package io.smsfeedback;

/**
 * Observes a {@link FeedbackReporter}: every delivery attempt and every terminal state. The Spring
 * module maps these to meters; the default does nothing.
 *
 * <p><b>Threading.</b> Called from the reporter's dispatcher thread and, for feedback refused by
 * {@link FeedbackReporter#report} (queue full, closed, already too late), from the reporting
 * thread; so possibly concurrently. Never called while the reporter holds its lock.
 *
 * <p><b>Failure.</b> Listeners must be fast and should not throw. If one throws, the reporter logs
 * it (the first time per method at WARN, then at DEBUG) and carries on: delivery and accounting
 * are never affected.
 */
public interface FeedbackListener {

  /** A listener that does nothing. */
  FeedbackListener NOOP = new FeedbackListener() {};

  /** One HTTP attempt finished (answered, failed or timed out). */
  default void onAttempt(AttemptEvent event) {}

  /**
   * A feedback reached its terminal state; called exactly once per feedback counted in {@link
   * ReporterStats#accepted()}.
   */
  default void onTerminal(DeliveryEvent event) {}
}
