package io.smsfeedback;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One outcome to report to 8x8: which OTP, whether the user converted, and when the user acted.
 *
 * @param otp the OTP the outcome is about
 * @param outcome success or failure
 * @param actedAt when the user acted (or, for an abandonment, when it was decided); sent to 8x8 as
 *     the {@code timestamp}. Callers clamp it to {@code [otp.sentAt(), now]}; see {@link #of}.
 */
public record Feedback(SentOtp otp, Outcome outcome, Instant actedAt) {

  public Feedback {
    Objects.requireNonNull(otp, "otp");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(actedAt, "actedAt");
  }

  /** A feedback whose action time is clamped to {@code [otp.sentAt(), now]}. */
  public static Feedback of(SentOtp otp, Outcome outcome, Instant actedAt, Instant now) {
    Instant at = actedAt;
    if (at.isAfter(now)) {
      at = now;
    }
    if (at.isBefore(otp.sentAt())) {
      at = otp.sentAt();
    }
    return new Feedback(otp, outcome, at);
  }

  public UUID umid() {
    return otp.umid();
  }

  /** The last moment 8x8 still counts this feedback: the send time plus {@code validity}. */
  public Instant deadline(Duration validity) {
    return otp.sentAt().plus(validity);
  }
}
