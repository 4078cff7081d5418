package io.smsfeedback;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one delivery attempt came to: {@link Kind#DELIVERED delivered}, {@link Kind#RETRYABLE worth
 * retrying}, or {@link Kind#REJECTED refused for good}. Immutable.
 *
 * <p>Classification of HTTP answers ({@link #ofStatus}):
 *
 * <ul>
 *   <li>2xx: delivered (a body is never required);
 *   <li>408, 429, 500, 502, 503, 504 and any other 5xx except 501 and 505: retryable, with the
 *       parsed {@code Retry-After} if any;
 *   <li>every other status (other 4xx, 501, 505, unexpected 1xx/3xx): rejected.
 * </ul>
 *
 * <p>I/O problems (connection refused or reset, timeouts, a broken response) are retryable results
 * without a status ({@link #ioError}).
 */
public final class TransportResult {

  /** The three classes of answers. */
  public enum Kind {
    /** 8x8 accepted the feedback (2xx). */
    DELIVERED,
    /** A transient problem: the reporter retries until the deadline. */
    RETRYABLE,
    /** 8x8 refused the feedback for good; retrying cannot help. */
    REJECTED
  }

  private static final int MAX_TEXT = 200;

  private final Kind kind;
  private final int status;
  private final @Nullable Duration retryAfter;
  private final @Nullable String ioError;
  private final @Nullable Integer errorCode;
  private final @Nullable String errorId;
  private final @Nullable String errorMessage;

  private TransportResult(
      Kind kind,
      int status,
      @Nullable Duration retryAfter,
      @Nullable String ioError,
      @Nullable Integer errorCode,
      @Nullable String errorId,
      @Nullable String errorMessage) {
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.ioError = ioError;
    this.errorCode = errorCode;
    this.errorId = errorId;
    this.errorMessage = errorMessage;
  }

  /** A 2xx answer. */
  public static TransportResult delivered(int status) {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("delivered needs a 2xx status: " + status);
    }
    return new TransportResult(Kind.DELIVERED, status, null, null, null, null, null);
  }

  /** Classifies an HTTP status without error details or {@code Retry-After}. */
  public static TransportResult ofStatus(int status) {
    return ofStatus(status, null, null, null, null);
  }

  /**
   * Classifies an HTTP answer (see the class comment).
   *
   * @param retryAfter the parsed {@code Retry-After} (see {@link #parseRetryAfter}); kept only for
   *     retryable answers; negative values count as zero
   * @param errorCode 8x8's {@code code} from the error body, if any
   * @param errorId 8x8's {@code errorId} from the error body, if any
   * @param errorMessage 8x8's {@code message} from the error body, if any (shortened to 200
   *     characters, control characters replaced)
   * @throws IllegalArgumentException if {@code status} is not between 100 and 599
   */
  public static TransportResult ofStatus(
      int status,
      @Nullable Duration retryAfter,
      @Nullable Integer errorCode,
      @Nullable String errorId,
      @Nullable String errorMessage) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be between 100 and 599: " + status);
    }
    if (status >= 200 && status <= 299) {
      return delivered(status);
    }
    String id = errorId == null ? null : clean(errorId, 64);
    String message = errorMessage == null ? null : clean(errorMessage, MAX_TEXT);
    if (isRetryableStatus(status)) {
      Duration ra = retryAfter == null || !retryAfter.isNegative() ? retryAfter : Duration.ZERO;
      return new TransportResult(Kind.RETRYABLE, status, ra, null, errorCode, id, message);
    }
    return new TransportResult(Kind.REJECTED, status, null, null, errorCode, id, message);
  }

  /**
   * A failure without an HTTP answer (connection refused or reset, timeout, malformed response):
   * retryable.
   *
   * @param error a short description without secrets, usually the exception's simple class name
   *     ({@code ConnectException}) or {@code timeout}
   */
  public static TransportResult ioError(String error) {
    Objects.requireNonNull(error, "error");
    return new TransportResult(Kind.RETRYABLE, 0, null, clean(error, 100), null, null, null);
  }

  /** Whether an HTTP status is worth retrying: 408, 429 and 5xx other than 501 and 505. */
  public static boolean isRetryableStatus(int status) {
    return status == 408
        || status == 429
        || (status >= 500 && status <= 599 && status != 501 && status != 505);
  }

  /**
   * Parses a {@code Retry-After} header value: delay-seconds ({@code 120}) or an HTTP-date ({@code
   * Wed, 21 Oct 2026 07:28:00 GMT}, also the obsolete RFC 850 and asctime forms).
   *
   * @param now the current time, to turn a date into a delay
   * @return the delay (zero for a date in the past), or {@code null} if absent or malformed
   */
  public static @Nullable Duration parseRetryAfter(@Nullable String value, Instant now) {
    return RetryAfter.parse(value, now);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isDelivered() {
    return kind == Kind.DELIVERED;
  }

  public boolean isRetryable() {
    return kind == Kind.RETRYABLE;
  }

  public boolean isRejected() {
    return kind == Kind.REJECTED;
  }

  /** The HTTP status, or 0 if there was no HTTP answer (an I/O error). */
  public int status() {
    return status;
  }

  /** How long 8x8 asked us to wait ({@code Retry-After}), for retryable answers; else null. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** For a failure without an HTTP answer: what went wrong ({@code ConnectException}); else null. */
  public @Nullable String ioError() {
    return ioError;
  }

  /** 8x8's {@code code} from an error body, or null. */
  public @Nullable Integer errorCode() {
    return errorCode;
  }

  /** 8x8's {@code errorId} from an error body, or null. */
  public @Nullable String errorId() {
    return errorId;
  }

  /** 8x8's {@code message} from an error body (at most 200 characters), or null. */
  public @Nullable String errorMessage() {
    return errorMessage;
  }

  /** Whether 8x8 refused our API key: 401 or 403. */
  public boolean isAuthFailure() {
    return status == 401 || status == 403;
  }

  /**
   * The status class for metrics: {@code 1xx}, {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx},
   * or {@code io} when there was no HTTP answer.
   */
  public String statusClass() {
    return status == 0 ? "io" : (status / 100) + "xx";
  }

  /**
   * A short description for logs and {@link ReporterStats#lastError()}: {@code HTTP 503}, {@code
   * HTTP 400 (code 1000)}, or the I/O error. No secrets, no umid.
   */
  public String describe() {
    if (status == 0) {
      return String.valueOf(ioError);
    }
    return errorCode == null ? "HTTP " + status : "HTTP " + status + " (code " + errorCode + ")";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TransportResult r
        && kind == r.kind
        && status == r.status
        && Objects.equals(retryAfter, r.retryAfter)
        && Objects.equals(ioError, r.ioError)
        && Objects.equals(errorCode, r.errorCode)
        && Objects.equals(errorId, r.errorId)
        && Objects.equals(errorMessage, r.errorMessage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, status, retryAfter, ioError, errorCode, errorId, errorMessage);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TransportResult{").append(kind).append(", ");
    sb.append(describe());
    if (retryAfter != null) {
      sb.append(", retryAfter=").append(retryAfter);
    }
    if (errorId != null) {
      sb.append(", errorId=").append(errorId);
    }
    if (errorMessage != null) {
      sb.append(", message=").append(errorMessage);
    }
    return sb.append('}').toString();
  }

  private static String clean(String s, int max) {
    String t = s.length() > max ? s.substring(0, max) + "..." : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
