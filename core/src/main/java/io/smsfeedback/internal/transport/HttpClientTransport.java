package io.smsfeedback.internal.transport;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FeedbackTransport}: Apache HttpClient 5 async over pooled HTTP/1.1 keep-alive
 * connections (as many as {@code max-concurrent-requests}), with HttpClient's own retries,
 * redirects, cookies and authentication handling off.
 *
 * <p>Each attempt's connect, connection-lease and response timeouts are capped by the {@code
 * timeout} given to {@link #send}, and a hard timer completes the result (as a retryable {@code
 * timeout}) and aborts the exchange when {@code timeout} has passed, whatever the server does.
 */
public final class HttpClientTransport implements FeedbackTransport {

  private static final Logger log = LoggerFactory.getLogger(HttpClientTransport.class);

  /** Error bodies are read up to this many bytes; the rest is discarded. */
  static final int MAX_BODY_BYTES = 8 * 1024;

  private static final TimeValue CLOSE_GRACE = TimeValue.ofMilliseconds(500);
  private static final ContentType JSON = ContentType.create("application/json");
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final FeedbackSettings settings;
  private final Clock clock;
  private final CloseableHttpAsyncClient client;
  private final String authorization;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpClientTransport(FeedbackSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.authorization = "Bearer " + settings.apiKey();
    int max = settings.maxConcurrentRequests();
    PoolingAsyncClientConnectionManager connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(max)
            .setMaxConnPerRoute(max)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                    .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
            .build();
    this.client =
        HttpAsyncClients.custom()
            .setConnectionManager(connections)
            .setIOReactorConfig(
                IOReactorConfig.custom()
                    .setIoThreadCount(1)
                    // timeouts are checked once per select interval (default 1s): keep them sharp
                    .setSelectInterval(TimeValue.ofMilliseconds(100))
                    .setSoTimeout(Timeout.of(settings.responseTimeout()))
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setRedirectsEnabled(false)
                    .setAuthenticationEnabled(false)
                    .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .setUserAgent(userAgent())
            .setThreadFactory(
                r -> {
                  Thread t = new Thread(r, "sms-feedback-http-" + THREADS.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                })
            .build();
    client.start();
  }

  /** A started transport; close it when done. */
  public static HttpClientTransport create(FeedbackSettings settings, Clock clock) {
    return new HttpClientTransport(settings, clock);
  }

  /** {@code sms-feedback-java/<version>}, the version from the build. */
  public static String userAgent() {
    return "sms-feedback-java/" + Version.VALUE;
  }

  @Override
  public CompletableFuture<TransportResult> send(Feedback feedback, Duration timeout) {
    CompletableFuture<TransportResult> result = new CompletableFuture<>();
    if (closed.get()) {
      result.complete(TransportResult.ioError("TransportClosed"));
      return result;
    }
    Duration t = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    try {
      URI uri = FeedbackRequests.uri(settings.baseUrl(), feedback);
      AsyncRequestProducer request =
          AsyncRequestBuilder.post(uri)
              .setHeader(HttpHeaders.AUTHORIZATION, authorization)
              .setEntity(
                  AsyncEntityProducers.create(
                      FeedbackRequests.body(feedback).getBytes(StandardCharsets.UTF_8), JSON))
              .build();
      HttpClientContext context = HttpClientContext.create();
      context.setRequestConfig(requestConfig(t));
      BoundedResponseConsumer consumer = new BoundedResponseConsumer(MAX_BODY_BYTES);
      Future<BoundedResponseConsumer.Raw> exchange =
          client.execute(
              request,
              consumer,
              null,
              context,
              new FutureCallback<>() {
                @Override
                public void completed(BoundedResponseConsumer.Raw raw) {
                  result.complete(classify(raw));
                }

                @Override
                public void failed(Exception ex) {
                  result.complete(afterFailure(consumer, describe(ex)));
                }

                @Override
                public void cancelled() {
                  result.complete(afterFailure(consumer, "Cancelled"));
                }
              });
      // The hard bound: whatever the server does, the result is there after the timeout. The
      // timer is cancelled (and dropped from the JDK's delay queue) as soon as the result is
      // there, so a finished attempt is not kept reachable until its timeout would have passed.
      CompletableFuture<Void> deadline =
          new CompletableFuture<Void>().orTimeout(Math.max(1, t.toMillis()), TimeUnit.MILLISECONDS);
      deadline.whenComplete(
          (v, timedOut) -> {
            if (timedOut != null) {
              result.complete(afterFailure(consumer, "timeout"));
            }
          });
      result.whenComplete(
          (r, e) -> {
            deadline.complete(null);
            if (!exchange.isDone()) {
              exchange.cancel(true); // our timeout or the caller's cancel: abort, free the slot
            }
          });
    } catch (RuntimeException e) {
      // e.g. the client was shut down concurrently; never surface it as an exception
      result.complete(TransportResult.ioError(describe(e)));
    }
    return result;
  }

  @SuppressWarnings("deprecation") // per-request connect timeout: still honoured by the async client
  private RequestConfig requestConfig(Duration timeout) {
    return RequestConfig.custom()
        .setRedirectsEnabled(false)
        .setAuthenticationEnabled(false)
        .setConnectionRequestTimeout(Timeout.of(timeout))
        .setConnectTimeout(Timeout.of(min(settings.connectTimeout(), timeout)))
        .setResponseTimeout(Timeout.of(min(settings.responseTimeout(), timeout)))
        .build();
  }

  /**
   * A failure after 8x8's status line arrived still counts as that answer: a 2xx whose body broke
   * off was accepted by 8x8, and sending it again would report the umid twice.
   */
  private TransportResult afterFailure(BoundedResponseConsumer consumer, String error) {
    BoundedResponseConsumer.Raw head = consumer.head();
    return head == null ? TransportResult.ioError(error) : classify(head);
  }

  private TransportResult classify(BoundedResponseConsumer.Raw raw) {
    int status = raw.status();
    if (status >= 200 && status <= 299) {
      return TransportResult.delivered(status);
    }
    if (status < 100 || status > 599) {
      return TransportResult.ioError("InvalidStatus");
    }
    ErrorBody body = ErrorBody.parse(raw.body());
    return TransportResult.ofStatus(
        status,
        RetryAfter.parse(raw.retryAfter(), clock.instant()),
        body.code(),
        body.errorId(),
        scrub(body.message()));
  }

  /** 8x8 would not echo the key, but if a message ever did, it would not leave here. */
  private @Nullable String scrub(@Nullable String message) {
    if (message == null) {
      return null;
    }
    return message.replace(settings.apiKey(), FeedbackSettings.mask(settings.apiKey()));
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        // Let the I/O reactor stop by itself first: an immediate close racing with it logs a
        // spurious ClosedSelectorException. Nothing of ours is in flight any more (the reporter
        // cancelled it), so this is quick; the immediate close is the bound.
        client.initiateShutdown();
        client.awaitShutdown(CLOSE_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.debug("Shutting down the HTTP client failed; closing it", e);
      }
      try {
        client.close(CloseMode.IMMEDIATE);
      } catch (RuntimeException e) {
        log.debug("Closing the HTTP client failed; ignored", e);
      }
    }
  }

  @Override
  public String toString() {
    return "HttpClientTransport{baseUrl="
        + settings.baseUrl()
        + ", subAccountId="
        + settings.subAccountId()
        + ", apiKey="
        + FeedbackSettings.mask(settings.apiKey())
        + ", maxConnections="
        + settings.maxConcurrentRequests()
        + (closed.get() ? ", closed" : "")
        + '}';
  }

  /** The library version, from a resource the build fills in. */
  static final class Version {
    static final String VALUE = load();

    private static String load() {
      try (InputStream in = HttpClientTransport.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty("version", "").trim();
          if (!v.isEmpty() && !v.startsWith("$")) {
            return v;
          }
        }
      } catch (IOException e) {
        // fall through
      }
      return "unknown";
    }

    private Version() {}
  }
}
