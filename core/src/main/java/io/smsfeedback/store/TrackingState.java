package io.smsfeedback.store;

import io.smsfeedback.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Where a tracked OTP stands. {@link #PENDING} is the only state that changes; every other state is
 * final (the umid's outcome was decided, or its window passed) and is kept only to recognise later
 * signals as duplicates until the feedback window has passed.
 */
public enum TrackingState {
  /** Waiting for the user; wrong codes may be counted. */
  PENDING(null),
  /** The user entered the right code: {@link Outcome#SUCCESS} was reported. */
  VERIFIED(Outcome.SUCCESS),
  /** A newer OTP replaced it: {@link Outcome#FAILURE} was reported. */
  SUPERSEDED(Outcome.FAILURE),
  /** {@code max-attempts} wrong codes were entered: {@link Outcome#FAILURE} was reported. */
  MAX_ATTEMPTS(Outcome.FAILURE),
  /** Nothing happened within {@code abandon-after}: {@link Outcome#FAILURE} was reported. */
  ABANDONED(Outcome.FAILURE),
  /**
   * The feedback window passed while it was still pending (the abandonment timer did not run in
   * time, e.g. every tracker on the store was stopped): nothing was reported.
   */
  EXPIRED(null);

  private final @Nullable Outcome outcome;

  TrackingState(@Nullable Outcome outcome) {
    this.outcome = outcome;
  }

  /** The outcome reported on entering this state, or null for {@link #PENDING} and {@link #EXPIRED}. */
  public @Nullable Outcome outcome() {
    return outcome;
  }

  /** Whether this state is final (anything but {@link #PENDING}). */
  public boolean isFinished() {
    return this != PENDING;
  }
}
