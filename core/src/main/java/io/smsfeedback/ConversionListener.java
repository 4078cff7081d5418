package io.smsfeedback;

import io.smsfeedback.store.TrackingState;
import java.time.Instant;

/**
 * Observes a {@link ConversionTracker}'s decisions: every OTP it starts tracking and every outcome
 * it decides, exactly once per umid per tracker. {@link io.smsfeedback.insight.ConversionStats} is
 * one; the default does nothing.
 *
 * <p><b>Threading.</b> Called on the thread that made the change (a request thread for sends and
 * signals, the tracker's timer thread for abandonment), after the store accepted it and before the
 * outcome is handed to the reporter; so possibly concurrently, and on the request path: keep it to
 * a few counter increments.
 *
 * <p><b>Failure.</b> Listeners should not throw. If one throws, the tracker logs it (the first time
 * at WARN, then at DEBUG) and carries on: the decision and its report are not affected.
 */
public interface ConversionListener {

  /** A listener that does nothing. */
  ConversionListener NOOP = new ConversionListener() {};

  /** The tracker started tracking {@code otp}: a send it saw, or an untracked umid it adopted. */
  default void tracked(SentOtp otp) {}

  /**
   * The tracker decided {@code otp}'s outcome at {@code decidedAt} (the user's action, clamped, or
   * when abandonment fired). {@code state} is one of {@link TrackingState#VERIFIED}, {@link
   * TrackingState#SUPERSEDED}, {@link TrackingState#MAX_ATTEMPTS} or {@link
   * TrackingState#ABANDONED}; outcomes reported again after a restart are not decisions and are not
   * passed.
   */
  default void decided(SentOtp otp, TrackingState state, Instant decidedAt) {}
}
