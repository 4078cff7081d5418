package io.smsfeedback;

import java.util.Objects;

/**
 * No SMS went out: the send guard ({@link io.smsfeedback.insight.SendGuard}) refused it because its
 * destination country is in a pumping alarm. Nothing was sent and no request was made; offer the
 * user another way to sign in (an authenticator app, e-mail, support) rather than trying again.
 * The message names only the calling code, never the number.
 */
public final class SmsGuardedException extends SmsSendException {

  private static final long serialVersionUID = 1L;

  private final String callingCode;

  /** A refusal of a send to a number with country calling code {@code callingCode} (digits). */
  public SmsGuardedException(String callingCode) {
    super(
        "SMS to calling code +"
            + Objects.requireNonNull(callingCode, "callingCode")
            + " refused by the send guard: the country is in a pumping alarm",
        0);
    this.callingCode = callingCode;
  }

  @Override
  public boolean mayHaveBeenSent() {
    return false;
  }

  /** The destination's country calling code, digits without {@code +} (e.g. {@code "65"}). */
  public String callingCode() {
    return callingCode;
  }
}
