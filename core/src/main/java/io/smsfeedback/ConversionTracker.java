package io.smsfeedback;

import java.time.Instant;

/**
 * Turns what happens to an OTP (sent, verified, wrong code, replaced by a newer one, never came
 * back) into exactly one {@link Outcome} per umid, handed to a {@link FeedbackReporter}.
 *
 * <p>Rules: success on verification; a wrong code counts an attempt and is terminal (failure) only
 * when {@code max-attempts} is set and reached; failure when superseded by a newer OTP; failure when
 * nothing happened within {@code abandon-after} of the send. The first outcome wins; later signals
 * for a finished umid are counted, never sent. The outcome's time is the user's action time clamped
 * to {@code [sentAt, now]}.
 *
 * <p><b>Threading.</b> Every method is thread-safe, cheap and non-blocking (no I/O), and never
 * throws for bad or late input: it returns a {@link Signal} that says what happened.
 */
public interface ConversionTracker extends AutoCloseable {

  /** What a call did. */
  enum Signal {
    /** The OTP is now tracked, or its outcome was decided and handed to the reporter. */
    APPLIED,
    /** A wrong code was counted; the OTP is still pending. */
    ATTEMPT_COUNTED,
    /** The umid already has its outcome (or was already tracked); nothing sent. */
    DUPLICATE,
    /** The umid is not tracked (never seen, or forgotten after its validity window). */
    UNKNOWN,
    /** The OTP's feedback window has passed; nothing sent. */
    TOO_LATE,
    /** Not tracked because {@code max-tracked} OTPs are already pending. */
    OVER_CAPACITY
  }

  /** An OTP was sent; tracking starts and the abandonment timer runs from {@code otp.sentAt()}. */
  Signal sent(SentOtp otp);

  /** {@code replaced} was superseded by a newer OTP at {@code at}: failure for it. */
  Signal superseded(SentOtp replaced, Instant at);

  /** The user entered the right code at {@code at}: success. */
  Signal verified(SentOtp otp, Instant at);

  /** The user entered a wrong code at {@code at}: an attempt, failure at {@code max-attempts}. */
  Signal wrongCode(SentOtp otp, Instant at);

  /** A snapshot of the counters. */
  TrackerStats stats();

  /** Stops the abandonment timer; pending OTPs stay in the store. Idempotent. */
  @Override
  void close();
}
