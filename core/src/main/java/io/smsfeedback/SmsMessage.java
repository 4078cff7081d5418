package io.smsfeedback;

import io.smsfeedback.internal.sms.PhoneNumbers;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One SMS to send with {@link SmsSender}: the destination, the text and the optional fields of
 * 8x8's send API. Immutable; the {@code with*} methods return a copy.
 *
 * <p>Nothing is validated here: {@link SmsSender} validates before anything is sent. {@link
 * #toString()} shows neither the text nor more than the last four digits of the destination.
 *
 * @param destination the phone number in E.164 form: {@code +} then 7 to 15 digits, country code
 *     first ({@code +6512345678})
 * @param text the message text (1 to {@value SmsSender#MAX_TEXT_LENGTH} characters)
 * @param source the sender id, or null for the sender's default (then 8x8's)
 * @param clientMessageId the app's own id for this SMS (at most 50 characters), or null
 * @param encoding the character set, or null to let 8x8 choose ({@link SmsEncoding#AUTO})
 */
public record SmsMessage(
    String destination,
    String text,
    @Nullable String source,
    @Nullable String clientMessageId,
    @Nullable SmsEncoding encoding) {

  public SmsMessage {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(text, "text");
  }

  /** A message with only the required fields. */
  public static SmsMessage of(String destination, String text) {
    return new SmsMessage(destination, text, null, null, null);
  }

  public SmsMessage withSource(@Nullable String source) {
    return new SmsMessage(destination, text, source, clientMessageId, encoding);
  }

  public SmsMessage withClientMessageId(@Nullable String clientMessageId) {
    return new SmsMessage(destination, text, source, clientMessageId, encoding);
  }

  public SmsMessage withEncoding(@Nullable SmsEncoding encoding) {
    return new SmsMessage(destination, text, source, clientMessageId, encoding);
  }

  /** Summary only: the destination masked, the text's length, never the text. */
  @Override
  public String toString() {
    return "SmsMessage{destination="
        + PhoneNumbers.mask(destination)
        + ", text="
        + text.length()
        + " chars"
        + (source == null ? "" : ", source=" + source)
        + (clientMessageId == null ? "" : ", clientMessageId=" + clientMessageId)
        + (encoding == null ? "" : ", encoding=" + encoding)
        + '}';
  }
}
