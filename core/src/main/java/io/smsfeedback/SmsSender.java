package io.smsfeedback;

import io.smsfeedback.internal.sms.HttpSmsSender;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Sends SMS (the OTP) through 8x8's SMS API ({@code POST {base}/api/v1/subaccounts/{subAccountId}/
 * messages}) and returns what to track: the {@link SentOtp} with 8x8's umid. It uses the settings'
 * base URL, API key, subaccount, timeouts and connection limit, over the same Apache HttpClient 5
 * setup as the reporter (its own pool of connections to the base URL).
 *
 * <p><b>Before sending.</b> The destination must be E.164 ({@code +}, then 7 to 15 digits starting
 * with a known country calling code), the text 1 to {@value #MAX_TEXT_LENGTH} characters, the
 * {@code clientMessageId} at most 50 characters; otherwise {@link SmsRejectedException} ({@link
 * SmsRejectedException#isLocal()}) and no request.
 *
 * <p><b>Retries.</b> Only where no SMS can have gone out: a refused connection, and 429 or 503 with
 * a {@code Retry-After} of at most {@link Builder#maxRetryWait(Duration)}; at most {@link
 * Builder#maxRetries(int)} times. Never after the request may have reached 8x8 (a timeout or I/O
 * error after it was written, a 5xx other than 503): that is {@link SmsUncertainException}.
 *
 * <p><b>Errors</b> are the subclasses of {@link SmsSendException}; {@link #send} throws them,
 * {@link #sendAsync} completes with them.
 *
 * <p><b>Privacy.</b> Logs and exception messages never contain the text, the API key or more than
 * the last four digits of the number ({@code +********5678}).
 *
 * <p><b>Threading and lifecycle.</b> Thread-safe; make one per app and {@link #close()} it at
 * shutdown (idempotent; sends after it fail with {@link SmsNotSentException}). {@link #sendAsync}
 * never blocks; its future completes on the sender's I/O thread, so dependents must not block.
 */
public interface SmsSender extends AutoCloseable {

  /** The longest text accepted: {@value} characters (8x8 splits it into parts). */
  int MAX_TEXT_LENGTH = 1600;

  /** A sender with default retry limits. */
  static SmsSender create(FeedbackSettings settings) {
    return builder(settings).build();
  }

  static Builder builder(FeedbackSettings settings) {
    return new Builder(settings);
  }

  /**
   * Sends {@code text} to {@code destination} (E.164) and waits for 8x8's answer.
   *
   * @throws SmsSendException if the SMS was refused, not sent, or may or may not have been sent
   */
  default SentSms send(String destination, String text) throws SmsSendException {
    return send(SmsMessage.of(destination, text));
  }

  /**
   * Sends {@code message} and waits for 8x8's answer (per attempt at most twice the connect timeout
   * plus the response timeout, plus the retries' waits).
   *
   * @throws SmsSendException if the SMS was refused, not sent, or may or may not have been sent; an
   *     interrupt while waiting is an {@link SmsUncertainException} (the interrupt flag is kept)
   */
  SentSms send(SmsMessage message) throws SmsSendException;

  /** {@link #send(String, String)} without waiting: never throws, the future carries the error. */
  default CompletableFuture<SentSms> sendAsync(String destination, String text) {
    return sendAsync(SmsMessage.of(destination, text));
  }

  /** {@link #send(SmsMessage)} without waiting: never throws, the future carries the error. */
  CompletableFuture<SentSms> sendAsync(SmsMessage message);

  /** The subaccount the SMS are sent from. */
  String subAccountId();

  /** Stops the sender; sends still under way are aborted. Idempotent. */
  @Override
  void close();

  /** Tunes a sender; every setter validates eagerly. */
  final class Builder {

    /** Default retries where no SMS can have gone out: 2. Range 0 to 5. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Default longest {@code Retry-After} the sender waits for: 2s. Range [0, 30s]. */
    public static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofSeconds(2);

    private static final Duration MAX_RETRY_WAIT_LIMIT = Duration.ofSeconds(30);

    private final FeedbackSettings settings;
    private @Nullable String source;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration maxRetryWait = DEFAULT_MAX_RETRY_WAIT;
    private Clock clock = Clock.systemUTC();

    Builder(FeedbackSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The sender id used when a message has none (null: 8x8's default for the subaccount). */
    public Builder source(@Nullable String source) {
      if (source != null && source.isBlank()) {
        throw new IllegalArgumentException("source must not be blank: \"" + source + "\"");
      }
      this.source = source;
      return this;
    }

    /** Retries where no SMS can have gone out (refused connection, 429/503). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 5) {
        throw new IllegalArgumentException("maxRetries must be in [0, 5]: " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The longest {@code Retry-After} waited for before a retry; a longer one fails the send. */
    public Builder maxRetryWait(Duration maxRetryWait) {
      Objects.requireNonNull(maxRetryWait, "maxRetryWait");
      if (maxRetryWait.isNegative() || maxRetryWait.compareTo(MAX_RETRY_WAIT_LIMIT) > 0) {
        throw new IllegalArgumentException("maxRetryWait must be in [0, 30s]: " + maxRetryWait);
      }
      this.maxRetryWait = maxRetryWait;
      return this;
    }

    /** The clock for {@link SentOtp#sentAt()} and {@code Retry-After} dates. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A started sender; close it when done. */
    public SmsSender build() {
      return new HttpSmsSender(settings, source, maxRetries, maxRetryWait, clock);
    }
  }
}
