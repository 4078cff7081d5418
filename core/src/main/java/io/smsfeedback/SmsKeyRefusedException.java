package io.smsfeedback;

import org.jspecify.annotations.Nullable;

/** 8x8 refused the API key (401) or its rights (403): not sent; check {@code sms.feedback.api-key}. */
public final class SmsKeyRefusedException extends SmsRejectedException {

  private static final long serialVersionUID = 1L;

  public SmsKeyRefusedException(
      String message,
      int attempts,
      int status,
      @Nullable Integer code,
      @Nullable String apiMessage,
      @Nullable String errorId) {
    super(message, attempts, status, code, apiMessage, errorId);
  }
}
