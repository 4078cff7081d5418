package io.smsfeedback.store;

import io.smsfeedback.SentOtp;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One tracked OTP: the row a {@link TrackingStore} keeps per umid. Immutable; a change is a new
 * instance with {@link #version()} one higher, written with {@link
 * TrackingStore#compareAndSet(TrackedOtp, TrackedOtp)}.
 *
 * <p>{@link #otp()} and {@link #abandonAt()} are fixed when the record is inserted; {@link #state()},
 * {@link #wrongCodes()}, {@link #decidedAt()} and {@link #version()} are what a change writes.
 *
 * @param otp the OTP as first tracked (its subaccount, umid and send time)
 * @param state where it stands
 * @param wrongCodes wrong codes counted so far
 * @param abandonAt when the tracker reports failure if still {@link TrackingState#PENDING}: the send
 *     time plus {@code abandon-after}
 * @param decidedAt null while pending; otherwise the time reported to 8x8 (the user's action time
 *     clamped to {@code [sentAt, now]}, or when the abandonment fired), or when it expired
 * @param version 0 on insert, one higher with every change
 */
public record TrackedOtp(
    SentOtp otp,
    TrackingState state,
    int wrongCodes,
    Instant abandonAt,
    @Nullable Instant decidedAt,
    long version) {

  public TrackedOtp {
    Objects.requireNonNull(otp, "otp");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(abandonAt, "abandonAt");
    if (wrongCodes < 0) {
      throw new IllegalArgumentException("wrongCodes must be >= 0: " + wrongCodes);
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0: " + version);
    }
    if (state.isFinished() != (decidedAt != null)) {
      throw new IllegalArgumentException(
          "decidedAt must be set exactly when the state is final: " + state + ", " + decidedAt);
    }
  }

  /** A new {@link TrackingState#PENDING} record, version 0, no wrong codes. */
  public static TrackedOtp pending(SentOtp otp, Instant abandonAt) {
    return new TrackedOtp(otp, TrackingState.PENDING, 0, abandonAt, null, 0);
  }

  public UUID umid() {
    return otp.umid();
  }

  public Instant sentAt() {
    return otp.sentAt();
  }

  public boolean isPending() {
    return state == TrackingState.PENDING;
  }

  public boolean isFinished() {
    return state.isFinished();
  }

  /**
   * The next version with one more wrong code, still pending.
   *
   * @throws IllegalStateException if this record is final
   */
  public TrackedOtp withWrongCode() {
    requirePending();
    return new TrackedOtp(otp, state, wrongCodes + 1, abandonAt, null, version + 1);
  }

  /**
   * The next version in the final state {@code finalState}, decided at {@code at}; counts one more
   * wrong code if {@code finalState} is {@link TrackingState#MAX_ATTEMPTS}.
   *
   * @throws IllegalStateException if this record is final already
   * @throws IllegalArgumentException if {@code finalState} is {@link TrackingState#PENDING}
   */
  public TrackedOtp finish(TrackingState finalState, Instant at) {
    requirePending();
    if (!finalState.isFinished()) {
      throw new IllegalArgumentException("not a final state: " + finalState);
    }
    int codes = finalState == TrackingState.MAX_ATTEMPTS ? wrongCodes + 1 : wrongCodes;
    return new TrackedOtp(otp, finalState, codes, abandonAt, at, version + 1);
  }

  private void requirePending() {
    if (!isPending()) {
      throw new IllegalStateException("already final: " + state);
    }
  }
}
