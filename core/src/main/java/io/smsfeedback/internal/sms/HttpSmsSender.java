package io.smsfeedback.internal.sms;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsKeyRefusedException;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsNotSentException;
import io.smsfeedback.SmsRejectedException;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.SmsUncertainException;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.DaemonThreads;
import io.smsfeedback.internal.transport.ErrorBody;
import io.smsfeedback.internal.transport.FeedbackRequests;
import io.smsfeedback.internal.transport.HttpClientSetup;
import io.smsfeedback.internal.transport.HttpClientTransport;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SmsSender}: one request per attempt through HttpClient 5's async client (retries,
 * redirects and cookies off), a hard bound per attempt on the sender's own timer thread, and the
 * retry rule of {@link SmsSender}: only while nothing of the request's body has been handed to the
 * connection ({@link WrittenFlag}), or on 429/503 with a short {@code Retry-After}.
 *
 * <p>State: {@link #pending} holds the sends not yet completed (for {@link #close()}); each {@link
 * Send} is driven by one thread at a time (the caller, then the I/O or timer thread).
 */
public final class HttpSmsSender implements SmsSender {

  private static final Logger log = LoggerFactory.getLogger(HttpSmsSender.class);
  private static final AtomicInteger TIMERS = new AtomicInteger();
  /** The pause before retrying a refused connection, times the attempt number. */
  static final Duration REFUSED_BACKOFF = Duration.ofMillis(100);
  private static final int MAX_CLIENT_MESSAGE_ID = 50;
  private static final TimeValue CLOSE_GRACE = TimeValue.ofMilliseconds(500);

  private final FeedbackSettings settings;
  private final @Nullable String defaultSource;
  private final int maxRetries;
  private final Duration maxRetryWait;
  private final Clock clock;
  private final URI messagesUri;
  private final RequestConfig requestConfig;
  private final long hardTimeoutMillis;
  private final CloseableHttpAsyncClient client;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<Send> pending = ConcurrentHashMap.newKeySet();
  /** The timer's and the HTTP client's threads, joined by {@link #close()}. */
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public HttpSmsSender(
      FeedbackSettings settings,
      @Nullable String defaultSource,
      int maxRetries,
      Duration maxRetryWait,
      Clock clock) {
    this.settings = settings;
    this.defaultSource = defaultSource;
    this.maxRetries = maxRetries;
    this.maxRetryWait = maxRetryWait;
    this.clock = clock;
    URI base = settings.baseUrl();
    this.messagesUri =
        URI.create(
            base.getScheme()
                + "://"
                + base.getRawAuthority()
                + FeedbackRequests.basePath(base)
                + "/api/v1/subaccounts/"
                + FeedbackRequests.encodePathSegment(settings.subAccountId())
                + "/messages");
    this.requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
            .setResponseTimeout(Timeout.of(settings.responseTimeout()))
            .build();
    // lease + connect + answer: HttpClient's own timeouts end an attempt first; this is the bound
    // for an answer that trickles in slower than the response (inactivity) timeout
    this.hardTimeoutMillis =
        2 * settings.connectTimeout().toMillis() + settings.responseTimeout().toMillis();
    this.timer =
        DaemonThreads.scheduler(
            "sms-feedback-sms-timer-" + TIMERS.incrementAndGet(), threads::add);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    PoolingAsyncClientConnectionManager connections = HttpClientSetup.connections(settings);
    this.client = HttpClientSetup.client(connections, settings, threads::add);
    client.start();
    timer.scheduleWithFixedDelay(
        () -> HttpClientSetup.evictIdle(connections, log),
        HttpClientSetup.EVICT_EVERY.toMilliseconds(),
        HttpClientSetup.EVICT_EVERY.toMilliseconds(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public String subAccountId() {
    return settings.subAccountId();
  }

  @Override
  public SentSms send(SmsMessage message) throws SmsSendException {
    CompletableFuture<SentSms> result = sendAsync(message);
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsUncertainException(
          "Interrupted while waiting for 8x8: the SMS to "
              + PhoneNumbers.mask(message.destination())
              + " may or may not have gone out",
          1,
          0);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SmsSendException s) {
        throw s;
      }
      throw new SmsUncertainException(
          "Sending failed unexpectedly (" + HttpClientTransport.describe(e) + ")", 1, 0);
    }
  }

  @Override
  public CompletableFuture<SentSms> sendAsync(SmsMessage message) {
    try {
      String problem = problem(message);
      if (problem != null) {
        return CompletableFuture.failedFuture(SmsRejectedException.local(problem));
      }
      Send send = new Send(message);
      pending.add(send);
      send.result.whenComplete((r, e) -> pending.remove(send));
      send.attempt();
      return send.result;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new SmsNotSentException(
              "Sending could not start (" + HttpClientTransport.describe(e) + ")", 0, 0, null));
    }
  }

  private static @Nullable String problem(SmsMessage m) {
    String masked = PhoneNumbers.mask(m.destination());
    String numberProblem = PhoneNumbers.problem(m.destination());
    if (numberProblem != null) {
      return "destination " + numberProblem + ": " + masked;
    }
    int length = m.text().length();
    if (length == 0 || length > MAX_TEXT_LENGTH) {
      return "text must have 1 to " + MAX_TEXT_LENGTH + " characters: " + length;
    }
    if (m.source() != null && m.source().isBlank()) {
      return "source must not be blank";
    }
    String id = m.clientMessageId();
    if (id != null && (id.isEmpty() || id.length() > MAX_CLIENT_MESSAGE_ID)) {
      return "clientMessageId must have 1 to " + MAX_CLIENT_MESSAGE_ID + " characters: " + id.length();
    }
    return null;
  }

  private byte[] json(SmsMessage m) {
    StringBuilder sb =
        new StringBuilder(m.text().length() + 96)
            .append("{\"destination\":")
            .append(FeedbackRequests.quote(m.destination()))
            .append(",\"text\":")
            .append(FeedbackRequests.quote(m.text()));
    String source = m.source() != null ? m.source() : defaultSource;
    if (source != null) {
      sb.append(",\"source\":").append(FeedbackRequests.quote(source));
    }
    if (m.clientMessageId() != null) {
      sb.append(",\"clientMessageId\":").append(FeedbackRequests.quote(m.clientMessageId()));
    }
    if (m.encoding() != null) {
      sb.append(",\"encoding\":").append(FeedbackRequests.quote(m.encoding().name()));
    }
    return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One SMS, over one or more attempts. */
  private final class Send {
    final CompletableFuture<SentSms> result = new CompletableFuture<>();
    final SmsMessage message;
    final String masked;
    final byte[] body;
    volatile int attempts;
    volatile WrittenFlag written = new WrittenFlag();

    Send(SmsMessage message) {
      this.message = message;
      this.masked = PhoneNumbers.mask(message.destination());
      this.body = json(message);
    }

    void attempt() {
      if (closed.get()) {
        fail(new SmsNotSentException("SMS to " + masked + " not sent: the sender is closed", attempts, 0, null));
        return;
      }
      int attempt = ++attempts;
      Instant startedAt = clock.instant();
      WrittenFlag flag = new WrittenFlag();
      written = flag;
      AsyncRequestProducer request =
          AsyncRequestBuilder.post(messagesUri)
              .addHeader(
                  new BasicHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey(), true))
              .addHeader(HttpHeaders.USER_AGENT, HttpClientTransport.userAgent())
              .addHeader(HttpHeaders.ACCEPT, "application/json")
              .setEntity(flag.wrap(body, ContentType.APPLICATION_JSON))
              .build();
      HttpClientContext context = HttpClientContext.create();
      context.setRequestConfig(requestConfig);
      Future<Answer> call =
          client.execute(
              request,
              new AnswerConsumer(),
              context,
              new FutureCallback<Answer>() {
                @Override
                public void completed(Answer answer) {
                  onAnswer(answer, attempt, startedAt);
                }

                @Override
                public void failed(Exception e) {
                  onFailure(HttpClientTransport.describe(e), isRefused(e), flag.isSet());
                }

                @Override
                public void cancelled() {
                  onFailure("timeout", false, flag.isSet());
                }
              });
      ScheduledFuture<?> bound =
          timer.schedule(() -> call.cancel(true), hardTimeoutMillis, TimeUnit.MILLISECONDS);
      result.whenComplete((r, e) -> bound.cancel(false));
    }

    void onAnswer(Answer answer, int attempt, Instant startedAt) {
      int status = answer.status();
      if (status >= 200 && status <= 299) {
        Map<String, String> fields = ErrorBody.topLevelStrings(answer.body());
        String umid = fields.get("umid");
        SentOtp otp;
        try {
          otp = SentOtp.of(settings.subAccountId(), umid == null ? "" : umid, startedAt);
        } catch (IllegalArgumentException e) {
          fail(
              new SmsUncertainException(
                  "8x8 answered HTTP " + status + " without a readable umid: the SMS to " + masked
                      + " may or may not have gone out",
                  attempts,
                  status));
          return;
        }
        SentSms sent =
            new SentSms(
                otp,
                CallingCodes.itu().of(message.destination()),
                fields.get("clientMessageId"),
                fields.get("encoding"));
        log.debug(
            "SMS to {} accepted by 8x8: umid {}, subaccount {}, attempt {}",
            masked, otp.umid(), otp.subAccountId(), attempt);
        result.complete(sent);
        return;
      }
      if (status == 429 || status == 503) {
        Duration wait = TransportResult.parseRetryAfter(answer.retryAfter(), clock.instant());
        if (wait != null && wait.compareTo(maxRetryWait) <= 0 && attempts <= maxRetries) {
          retry("HTTP " + status, wait);
          return;
        }
        fail(
            new SmsNotSentException(
                "SMS to " + masked + " not sent: 8x8 answered HTTP " + status
                    + (wait == null ? "" : " with Retry-After " + wait.toSeconds() + "s"),
                attempts,
                status,
                wait));
        return;
      }
      if (status >= 400 && status <= 499) {
        ErrorBody error = ErrorBody.parse(answer.body());
        String apiMessage = error.message() == null ? null : scrub(error.message());
        String text =
            "SMS to " + masked + " refused by 8x8: HTTP " + status
                + (error.code() == null ? "" : ", code " + error.code())
                + (apiMessage == null ? "" : ", " + apiMessage)
                + (error.errorId() == null ? "" : " (errorId " + error.errorId() + ")");
        fail(
            status == 401 || status == 403
                ? new SmsKeyRefusedException(
                    text + "; check " + FeedbackSettings.API_KEY,
                    attempts, status, error.code(), apiMessage, error.errorId())
                : new SmsRejectedException(
                    text, attempts, status, error.code(), apiMessage, error.errorId()));
        return;
      }
      fail(
          new SmsUncertainException(
              "8x8 answered HTTP " + status + ": the SMS to " + masked
                  + " may or may not have gone out",
              attempts,
              status));
    }

    void onFailure(String error, boolean refused, boolean wasWritten) {
      if (wasWritten) {
        fail(
            new SmsUncertainException(
                "No answer from 8x8 (" + error + ") after the request was written: the SMS to "
                    + masked + " may or may not have gone out",
                attempts,
                0));
      } else if (refused && attempts <= maxRetries && !closed.get()) {
        retry(error, REFUSED_BACKOFF.multipliedBy(attempts));
      } else {
        fail(
            new SmsNotSentException(
                "SMS to " + masked + " not sent: 8x8 not reached (" + error + ")", attempts, 0, null));
      }
    }

    void retry(String why, Duration wait) {
      log.info(
          "SMS to {} not sent ({}); retrying in {} ms (retry {} of {})",
          masked, why, wait.toMillis(), attempts, maxRetries);
      try {
        timer.schedule(this::attempt, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        fail(new SmsNotSentException("SMS to " + masked + " not sent: the sender is closed", attempts, 0, null));
      }
    }

    /** Logs (before completing: whoever waits sees the log written) and completes with {@code e}. */
    void fail(SmsSendException e) {
      if (!result.isDone()) {
        log.warn("{}", e.getMessage());
      }
      result.completeExceptionally(e);
    }

    /** The sender closed under this send. */
    void abort() {
      if (written.isSet()) {
        fail(
            new SmsUncertainException(
                "The sender closed while waiting for 8x8: the SMS to " + masked
                    + " may or may not have gone out",
                attempts,
                0));
      } else {
        fail(new SmsNotSentException("SMS to " + masked + " not sent: the sender is closed", attempts, 0, null));
      }
    }

    private String scrub(String apiMessage) {
      return PhoneNumbers.scrub(
          apiMessage.replace(settings.apiKey(), FeedbackSettings.mask(settings.apiKey())),
          message.destination());
    }
  }

  private static boolean isRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    HttpClientSetup.shutdown(client, CLOSE_GRACE, log);
    for (Send send : pending) {
      send.abort();
    }
    HttpClientSetup.join(List.copyOf(threads)); // gone when close() returns (a web app undeploy)
  }

  @Override
  public String toString() {
    return "SmsSender{baseUrl="
        + settings.baseUrl()
        + ", subAccountId="
        + settings.subAccountId()
        + ", apiKey="
        + FeedbackSettings.mask(settings.apiKey())
        + (closed.get() ? ", closed" : "")
        + '}';
  }
}
