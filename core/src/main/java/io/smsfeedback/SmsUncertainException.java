package io.smsfeedback;

/**
 * The request may have reached 8x8 and the SMS may or may not have gone out: a timeout or an I/O
 * error after the request was written, a 5xx other than 503, or a 2xx without a readable umid. The
 * sender never retries this (a retry could send a second SMS); the app decides, e.g. by letting the
 * user ask for a new code.
 */
public final class SmsUncertainException extends SmsSendException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public SmsUncertainException(String message, int attempts, int status) {
    super(message, attempts);
    this.status = status;
  }

  @Override
  public boolean mayHaveBeenSent() {
    return true;
  }

  /** 8x8's HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }
}
