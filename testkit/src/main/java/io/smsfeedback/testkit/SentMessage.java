package io.smsfeedback.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMS the simulator accepted on its send endpoint (nothing is really sent).
 *
 * @param umid the umid the simulator assigned and answered
 * @param sentAt when the send request had been read
 * @param subAccountId the subaccount from the path, percent-decoded
 * @param destination the destination exactly as sent
 * @param text the text
 * @param source the {@code source}, or null when none was sent
 * @param clientMessageId the {@code clientMessageId}, or null when none was sent
 * @param encoding {@code GSM7} when the text fits the GSM 03.38 alphabet, else {@code UCS2}
 */
public record SentMessage(
    UUID umid,
    Instant sentAt,
    String subAccountId,
    String destination,
    String text,
    String source,
    String clientMessageId,
    String encoding) {

  private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{4,8}(?![0-9])");

  /** Checks the required components. */
  public SentMessage {
    Objects.requireNonNull(umid, "umid");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(subAccountId, "subAccountId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(encoding, "encoding");
  }

  /** The first run of 4 to 8 digits in the text: the one-time password, for OTP messages. */
  public Optional<String> code() {
    Matcher m = CODE.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }
}
