package io.smsfeedback;

/**
 * An SMS that {@link SmsSender} could not send, or could not confirm. The subclass says which, and
 * {@link #mayHaveBeenSent()} says whether the phone may still receive it:
 *
 * <ul>
 *   <li>{@link SmsRejectedException}: refused (by the sender's checks, or by 8x8 with its error
 *       {@code code}, {@code message} and {@code errorId}); not sent. {@link SmsKeyRefusedException}
 *       is the refusal of the API key (401/403).
 *   <li>{@link SmsNotSentException}: 8x8 could not be reached, or asked to wait longer than the
 *       sender waits (429/503); not sent, safe to try again later.
 *   <li>{@link SmsUncertainException}: the request may have reached 8x8 (a timeout or I/O error
 *       after it was written, a 5xx, a 2xx without a umid): the SMS may or may not have gone out.
 * </ul>
 *
 * Messages never contain the text, the API key or more than the last four digits of the number.
 */
public abstract class SmsSendException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int attempts;

  SmsSendException(String message, int attempts) {
    super(message, null, true, false);
    this.attempts = attempts;
  }

  /** Whether the SMS may have gone out despite the error. */
  public abstract boolean mayHaveBeenSent();

  /** How many requests were made (0: refused before any request; more than 1: retried). */
  public int attempts() {
    return attempts;
  }
}
