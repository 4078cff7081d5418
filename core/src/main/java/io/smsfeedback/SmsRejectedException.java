package io.smsfeedback;

import org.jspecify.annotations.Nullable;

/**
 * The SMS was refused and not sent: by the sender's own checks before any request ({@link
 * #status()} 0, e.g. a destination that is not E.164), or by 8x8 with a 4xx answer, whose error
 * body's {@code code}, {@code message} and {@code errorId} are kept.
 */
public class SmsRejectedException extends SmsSendException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable Integer code;
  private final @Nullable String apiMessage;
  private final @Nullable String errorId;

  public SmsRejectedException(
      String message,
      int attempts,
      int status,
      @Nullable Integer code,
      @Nullable String apiMessage,
      @Nullable String errorId) {
    super(message, attempts);
    this.status = status;
    this.code = code;
    this.apiMessage = apiMessage;
    this.errorId = errorId;
  }

  /** A refusal by the sender's own checks: nothing was sent. */
  public static SmsRejectedException local(String message) {
    return new SmsRejectedException(message, 0, 0, null, null, null);
  }

  @Override
  public boolean mayHaveBeenSent() {
    return false;
  }

  /** 8x8's HTTP status, or 0 when the sender refused the SMS before any request. */
  public int status() {
    return status;
  }

  /** Whether the sender refused the SMS itself, before any request. */
  public boolean isLocal() {
    return status == 0;
  }

  /** 8x8's error {@code code} (e.g. 1002 for an invalid number), or null. */
  public @Nullable Integer code() {
    return code;
  }

  /** 8x8's error {@code message} (the number in it masked), or null. */
  public @Nullable String apiMessage() {
    return apiMessage;
  }

  /** 8x8's {@code errorId}, to quote to 8x8's support, or null. */
  public @Nullable String errorId() {
    return errorId;
  }
}
