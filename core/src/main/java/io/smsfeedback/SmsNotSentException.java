package io.smsfeedback;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * No SMS went out: 8x8 could not be reached (connection refused, connect timeout) or answered 429
 * or 503 and asked to wait longer than the sender waits. Safe to try again, after {@link
 * #retryAfter()} if given.
 */
public final class SmsNotSentException extends SmsSendException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable Duration retryAfter;

  public SmsNotSentException(
      String message, int attempts, int status, @Nullable Duration retryAfter) {
    super(message, attempts);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  @Override
  public boolean mayHaveBeenSent() {
    return false;
  }

  /** 8x8's HTTP status (429 or 503), or 0 when 8x8 was not reached. */
  public int status() {
    return status;
  }

  /** The wait 8x8 asked for in {@code Retry-After}, or null. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
