package io.smsfeedback.internal.transport;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.internal.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;

/**
 * The Apache HttpClient 5 setup that the reporter's {@link HttpClientTransport} and the SMS sender
 * share: one pool per base URL (the settings' {@code max-concurrent-requests} connections; HTTP/2
 * when an {@code https} server offers it, else HTTP/1.1;
 * the settings' connect and response timeouts), one I/O thread, none of HttpClient's own retries,
 * redirects, cookies or authentication, and no evictor thread of its own (the owner evicts idle
 * connections on its timer with {@link #evictIdle}). The owner's {@code close} shuts the client
 * down ({@link #shutdown}) and joins the client's threads ({@link #join}): a web app's undeploy
 * checks for leftover threads right after.
 */
public final class HttpClientSetup {

  /** A connection idle this long is closed rather than reused. */
  static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);

  /** How often the owner looks for idle connections. */
  public static final TimeValue EVICT_EVERY = TimeValue.ofSeconds(5);

  /**
   * How long {@link #join} waits for the owner's threads to end once they were told to: they end
   * at once on an idle machine; a loaded one (an undeploy among other work) may need longer.
   */
  public static final Duration JOIN_BOUND = Duration.ofSeconds(5);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private HttpClientSetup() {}

  /**
   * The connection pool for {@code settings}' base URL. Over {@code https} it offers HTTP/2 and
   * HTTP/1.1 by ALPN and shares an HTTP/2 connection among concurrent requests (message
   * multiplexing): one connection carries as many streams as the server allows, and the pool opens
   * another only when those are taken; a server without HTTP/2 gets a pool of HTTP/1.1 keep-alive
   * connections, as over {@code http} (loopback), which stays HTTP/1.1.
   */
  public static PoolingAsyncClientConnectionManager connections(FeedbackSettings settings) {
    return connections(settings, settings.maxConcurrentRequests());
  }

  /** {@link #connections(FeedbackSettings)} with at most {@code max} connections. */
  public static PoolingAsyncClientConnectionManager connections(
      FeedbackSettings settings, int max) {
    boolean https = isHttps(settings);
    PoolingAsyncClientConnectionManagerBuilder builder =
        PoolingAsyncClientConnectionManagerBuilder.create();
    if (https) {
      builder.setMessageMultiplexing(true);
      if (settings.sslContext() != null) {
        builder.setTlsStrategy(
            ClientTlsStrategyBuilder.create().setSslContext(settings.sslContext()).buildAsync());
      }
    }
    return builder
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
            TlsConfig.custom()
                .setVersionPolicy(
                    https ? HttpVersionPolicy.NEGOTIATE : HttpVersionPolicy.FORCE_HTTP_1)
                .build())
        .build();
  }

  /** Whether the pool holds no connection at all (leased, idle or being opened). */
  public static boolean isEmpty(PoolingAsyncClientConnectionManager connections) {
    try {
      var stats = connections.getTotalStats();
      return stats.getLeased() + stats.getAvailable() + stats.getPending() == 0;
    } catch (RuntimeException e) {
      return false; // shut down concurrently
    }
  }

  /** Whether the base URL is {@code https}: HTTP/2 may be negotiated. */
  public static boolean isHttps(FeedbackSettings settings) {
    return "https".equalsIgnoreCase(settings.baseUrl().getScheme());
  }

  /**
   * A client (not yet started) on {@code connections}; its threads are daemons named {@code
   * sms-feedback-http-N}, each handed to {@code created} (to be joined by {@link #join}).
   */
  public static CloseableHttpAsyncClient client(
      PoolingAsyncClientConnectionManager connections,
      FeedbackSettings settings,
      Consumer<Thread> created) {
    return HttpAsyncClients.custom()
        .setConnectionManager(connections)
        .setIOReactorConfig(
            IOReactorConfig.custom()
                .setIoThreadCount(1)
                // timeouts are checked once per select interval (default 1s): keep them sharp
                .setSelectInterval(TimeValue.ofMilliseconds(100))
                .setSoTimeout(Timeout.of(settings.responseTimeout()))
                .build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableConnectionState()
        .setThreadFactory(
            DaemonThreads.factory(() -> "sms-feedback-http-" + THREADS.incrementAndGet(), created))
        .build();
  }

  /** Closes expired connections and those idle longer than {@link #MAX_IDLE}; never throws. */
  public static void evictIdle(PoolingAsyncClientConnectionManager connections, Logger log) {
    try {
      connections.closeExpired();
      connections.closeIdle(MAX_IDLE);
    } catch (RuntimeException e) {
      log.debug("Evicting idle connections failed; tried again later", e);
    }
  }

  /**
   * Lets the client's I/O reactor stop by itself for up to {@code grace} (an immediate close racing
   * with it logs a spurious {@code ClosedSelectorException}), then closes it immediately.
   */
  public static void shutdown(CloseableHttpAsyncClient client, TimeValue grace, Logger log) {
    try {
      client.initiateShutdown();
      client.awaitShutdown(grace);
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

  /** Waits up to {@link #JOIN_BOUND} in all for {@code threads} (told to stop) to end. */
  public static void join(List<Thread> threads) {
    long until = System.nanoTime() + JOIN_BOUND.toNanos();
    try {
      for (Thread thread : threads) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          break;
        }
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
