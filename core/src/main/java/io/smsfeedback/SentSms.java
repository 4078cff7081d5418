package io.smsfeedback;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SmsSender} returns for an SMS 8x8 accepted: the {@link SentOtp} to track (subaccount,
 * umid, sent time) and what is known about the destination without keeping its number.
 *
 * @param otp the sent OTP, ready for {@code SmsFeedback.remember} or a tracker
 * @param callingCode the destination's country calling code, digits without {@code +} ({@code
 *     "65"} for {@code +6512345678})
 * @param clientMessageId the app's id for the SMS as 8x8 echoed it, or null
 * @param encoding the encoding 8x8 chose ({@code GSM7}, {@code UCS2}), or null if not told
 */
public record SentSms(
    SentOtp otp, String callingCode, @Nullable String clientMessageId, @Nullable String encoding) {

  public SentSms {
    Objects.requireNonNull(otp, "otp");
    Objects.requireNonNull(callingCode, "callingCode");
  }

  /** The message id 8x8 returned. */
  public UUID umid() {
    return otp.umid();
  }

  /** The subaccount the SMS was sent from. */
  public String subAccountId() {
    return otp.subAccountId();
  }

  /** When the request that sent the SMS started; the feedback window starts here. */
  public Instant sentAt() {
    return otp.sentAt();
  }
}
