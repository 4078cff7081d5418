package io.smsfeedback.internal.transport;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.internal.DaemonThreads;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;

/**
 * The Apache HttpClient 5 setup that the reporter's {@link HttpClientTransport} and the SMS sender
 * share: one pool per base URL (the settings' {@code max-concurrent-requests} connections, HTTP/1.1,
 * the settings' connect and response timeouts), one I/O thread, idle connections evicted, and none
 * of HttpClient's own retries, redirects, cookies or authentication.
 */
public final class HttpClientSetup {

  /** A connection idle this long is closed rather than reused. */
  static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private HttpClientSetup() {}

  /** The connection pool for {@code settings}' base URL. */
  public static PoolingAsyncClientConnectionManager connections(FeedbackSettings settings) {
    int max = settings.maxConcurrentRequests();
    return PoolingAsyncClientConnectionManagerBuilder.create()
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
  }

  /** A client (not yet started) on {@code connections}; its threads are daemons. */
  public static CloseableHttpAsyncClient client(
      PoolingAsyncClientConnectionManager connections, FeedbackSettings settings) {
    return HttpAsyncClients.custom()
        .setConnectionManager(connections)
        .setIOReactorConfig(
            IOReactorConfig.custom()
                .setIoThreadCount(1)
                // timeouts are checked once per select interval (default 1s): keep them sharp
                .setSelectInterval(TimeValue.ofMilliseconds(100))
                .setSoTimeout(Timeout.of(settings.responseTimeout()))
                .build())
        .evictIdleConnections(MAX_IDLE)
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableConnectionState()
        .setThreadFactory(
            DaemonThreads.factory(() -> "sms-feedback-http-" + THREADS.incrementAndGet(), t -> {}))
        .build();
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
}
