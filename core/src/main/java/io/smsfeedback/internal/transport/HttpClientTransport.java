package io.smsfeedback.internal.transport;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FeedbackTransport}: HTTP/1.1 over Apache HttpClient 5's async connection pool
 * and I/O reactor, with keep-alive connections (as many as {@code max-concurrent-requests}).
 *
 * <p>Each attempt is one {@link Exchange} run directly on a pooled connection: no exec chain, so
 * no retries, redirects, cookies, authentication or content decoding by HttpClient (the reporter
 * owns retries; the request is prepared here, header by header). Each attempt's connection-lease,
 * connect and response timeouts are capped by the {@code timeout} given to {@link #send}, and a
 * hard timer completes the result (as a retryable {@code timeout}) when {@code timeout} has passed,
 * whatever the server does, and closes the connection, which aborts the exchange.
 */
public final class HttpClientTransport implements FeedbackTransport {

  private static final Logger log = LoggerFactory.getLogger(HttpClientTransport.class);

  /** Error bodies are read up to this many bytes; the rest, and any 2xx body, is discarded. */
  static final int MAX_BODY_BYTES = 8 * 1024;

  /** A connection idle this long is closed rather than reused. */
  static final TimeValue MAX_IDLE = HttpClientSetup.MAX_IDLE;

  private static final TimeValue CLOSE_GRACE = TimeValue.ofMilliseconds(500);

  /**
   * Requests one HTTP/2 connection carries at most: 100, the smallest {@code
   * SETTINGS_MAX_CONCURRENT_STREAMS} RFC 9113 recommends servers allow. Beyond it a stream would
   * wait on the connection for a free one, so another lane (connection) takes the request.
   */
  static final int STREAMS_PER_LANE = 100;

  /**
   * Streams of timed-out attempts a lane leaves open on its HTTP/2 connection at most (see {@link
   * Exchange}); one more timeout closes the connection instead.
   */
  static final int MAX_ABANDONED_STREAMS = 10;
  private static final String JSON = "application/json";

  /** The name of the thread that ends attempts at their timeout. */
  public static final String TIMEOUT_THREAD_NAME = "sms-feedback-http-timeout";

  private final FeedbackSettings settings;
  private final Clock clock;
  /**
   * The lanes: over https one pool per {@value #STREAMS_PER_LANE} requests of the ceiling, each
   * multiplexing one HTTP/2 connection (or, without HTTP/2, up to that many HTTP/1.1 connections);
   * over http a single pool. Requests fill the first lane with room, so a quiet reporter keeps one
   * connection and a busy one opens another per {@value #STREAMS_PER_LANE} in flight.
   */
  private final PoolingAsyncClientConnectionManager[] lanes;
  /** Exchanges started and not ended (and their abandoned HTTP/2 streams still open), per lane. */
  private final AtomicIntegerArray laneLoad;
  /** Abandoned HTTP/2 streams still open, per lane. */
  private final AtomicIntegerArray abandonedStreams;
  /** 1 where the lane's connections speak HTTP/2. */
  private final AtomicIntegerArray laneSpeaksH2;
  /** Over https: HTTP/2 is offered by ALPN (plain http is HTTP/1.1 only). */
  private final boolean mayUseHttp2;
  private final CloseableHttpAsyncClient client;
  private final ConnectionInitiator reactor;
  private final HttpRoute route;
  private final String scheme;
  private final URIAuthority authority;
  private final String basePath;
  /** Host, Authorization, User-Agent and Content-Type: the same on every request. */
  private final Header[] fixedHeaders;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;
  private final AtomicLong exchanges = new AtomicLong();
  private volatile @Nullable Segment lastSubAccount;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Per lane, over https: one exchange negotiates the protocol before the others connect. */
  private final NegotiationGate[] gates;
  /**
   * The attempts' hard timeouts: this transport's own daemon thread (started with the first
   * attempt, stopped by {@link #close}), never the JDK's JVM-wide {@code
   * CompletableFutureDelayScheduler}, which would outlive a web app that undeploys us.
   */
  private final ScheduledThreadPoolExecutor timeouts;
  private volatile @Nullable Thread timeoutThread;
  /** The HTTP client's I/O threads: joined by {@link #close} (its shutdown does not wait). */
  private final List<Thread> clientThreads = new CopyOnWriteArrayList<>();

  private HttpClientTransport(FeedbackSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    URI base = settings.baseUrl();
    this.scheme = base.getScheme().toLowerCase(Locale.ROOT);
    HttpHost target = new HttpHost(scheme, base.getHost(), base.getPort());
    this.route = new HttpRoute(target, null, "https".equals(scheme));
    this.authority = new URIAuthority(target);
    this.basePath = FeedbackRequests.basePath(base);
    this.fixedHeaders =
        new Header[] {
          new BasicHeader(HttpHeaders.HOST, authority.toString()),
          new BasicHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey(), true),
          new BasicHeader(HttpHeaders.USER_AGENT, userAgent()),
          new BasicHeader(HttpHeaders.CONTENT_TYPE, JSON)
        };
    this.connectTimeoutMillis = Math.max(1, settings.connectTimeout().toMillis());
    this.responseTimeoutMillis = Math.max(1, settings.responseTimeout().toMillis());
    this.timeouts = DaemonThreads.scheduler(TIMEOUT_THREAD_NAME, t -> timeoutThread = t);
    int max = settings.maxConcurrentRequests();
    this.mayUseHttp2 = HttpClientSetup.isHttps(settings);
    int count = mayUseHttp2 ? (max + STREAMS_PER_LANE - 1) / STREAMS_PER_LANE : 1;
    this.lanes = new PoolingAsyncClientConnectionManager[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = HttpClientSetup.connections(settings, count == 1 ? max : STREAMS_PER_LANE);
    }
    this.laneLoad = new AtomicIntegerArray(count);
    this.abandonedStreams = new AtomicIntegerArray(count);
    this.laneSpeaksH2 = new AtomicIntegerArray(count);
    this.gates = new NegotiationGate[count];
    for (int i = 0; i < count; i++) {
      gates[i] = new NegotiationGate(!mayUseHttp2);
    }
    // The client is used for its I/O reactor (connections are opened through it and run its
    // HTTP/1.1 protocol handler); its exec chain is never used.
    this.client = HttpClientSetup.client(lanes[0], settings, clientThreads::add);
    if (!(client instanceof ConnectionInitiator initiator)) {
      client.close(CloseMode.IMMEDIATE);
      timeouts.shutdownNow();
      throw new IllegalStateException(
          "this httpclient5 version's async client does not open connections itself: "
              + client.getClass().getName());
    }
    this.reactor = initiator;
    client.start();
    // Idle connections are closed on the timer thread, not by HttpClient's evictor: that is one
    // more thread, which its close does not wait for (an undeploy would find it still running).
    timeouts.scheduleWithFixedDelay(
        () -> {
          for (int i = 0; i < lanes.length; i++) {
            HttpClientSetup.evictIdle(lanes[i], log);
            if (HttpClientSetup.isEmpty(lanes[i])) {
              gates[i].renegotiate();
            }
          }
        },
        HttpClientSetup.EVICT_EVERY.toMilliseconds(),
        HttpClientSetup.EVICT_EVERY.toMilliseconds(),
        TimeUnit.MILLISECONDS);
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
    if (closed.get()) {
      return CompletableFuture.completedFuture(TransportResult.ioError("TransportClosed"));
    }
    long millis = timeout.isNegative() || timeout.isZero() ? 1 : Math.max(1, timeout.toMillis());
    try {
      byte[] body = FeedbackRequests.bodyBytes(feedback);
      String path = FeedbackRequests.path(basePath, subAccountSegment(feedback), feedback.umid());
      BasicHttpRequest request = new BasicHttpRequest("POST", scheme, authority, path);
      for (Header h : fixedHeaders) {
        request.addHeader(h);
      }
      request.addHeader(new BasicHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length)));
      int lane = pickLane();
      Exchange exchange =
          new Exchange(
              this, "sms-feedback-" + exchanges.incrementAndGet(), request, body, millis, lane);
      NegotiationGate gate = gates[lane];
      if (gate.isOpen()) {
        exchange.start();
        return exchange.result;
      }
      switch (gate.admit(waited -> startHeld(exchange, waited))) {
        case GO -> exchange.start();
        case PROBE -> {
          exchange.asProbe(gate);
          exchange.start();
        }
        case HELD -> {} // started by the gate
      }
      return exchange.result;
    } catch (RuntimeException e) {
      // never surface it as an exception
      return CompletableFuture.completedFuture(TransportResult.ioError(describe(e)));
    }
  }

  /** Starts an exchange the gate held for {@code waited} ms; -1: the transport closed meanwhile. */
  private static void startHeld(Exchange exchange, long waited) {
    if (waited < 0) {
      exchange.result.complete(TransportResult.ioError("TransportClosed"));
    } else {
      exchange.startAfter(waited);
    }
  }

  /** The feedback's subaccount, percent-encoded; nearly always the same one, so remembered. */
  private String subAccountSegment(Feedback feedback) {
    String raw = feedback.otp().subAccountId();
    Segment last = lastSubAccount;
    if (last == null || !last.raw().equals(raw)) {
      last = new Segment(raw, FeedbackRequests.encodePathSegment(raw));
      lastSubAccount = last;
    }
    return last.encoded();
  }

  private record Segment(String raw, String encoded) {}

  // ---- what an Exchange asks of its transport -------------------------------------------------

  /** Runs {@code task} after {@code millis} on this transport's timer. */
  ScheduledFuture<?> schedule(Runnable task, long millis) {
    return timeouts.schedule(task, millis, TimeUnit.MILLISECONDS);
  }

  /** The lane for an exchange starting now (counted until its result is there). */
  private int pickLane() {
    int n = lanes.length;
    if (n == 1) {
      laneLoad.incrementAndGet(0);
      return 0;
    }
    int least = 0;
    for (int i = 0; i < n; i++) {
      int load = laneLoad.get(i);
      if (load < STREAMS_PER_LANE && laneLoad.compareAndSet(i, load, load + 1)) {
        return i;
      }
      if (load < laneLoad.get(least)) {
        least = i;
      }
    }
    laneLoad.incrementAndGet(least); // every lane full (or raced): the least loaded
    return least;
  }

  boolean mayUseHttp2() {
    return mayUseHttp2;
  }

  /** What the lane's connections speak, as the last exchange on one found out. */
  void negotiated(int lane, boolean h2) {
    if ((laneSpeaksH2.get(lane) == 1) != h2) {
      laneSpeaksH2.set(lane, h2 ? 1 : 0);
    }
  }

  /**
   * An exchange of the lane got no open connection from its pool and would open one. Over HTTP/2
   * one new connection serves the whole lane: the first such exchange becomes the lane's probe
   * and opens it (false); the others, and everything sent meanwhile, wait for its end (true:
   * {@code leaseAgain} runs then). Without this, the requests in flight on a dropped connection
   * and those sent right after each opened a TLS connection of their own (504 measured, not 6).
   * Over HTTP/1.1 each request in flight needs its own connection: never held (false).
   */
  boolean mustWaitForNegotiation(int lane, Exchange exchange, LongConsumer leaseAgain) {
    if (laneSpeaksH2.get(lane) == 0) {
      return false;
    }
    NegotiationGate gate = gates[lane];
    switch (gate.reprobe(leaseAgain)) {
      case PROBE -> {
        exchange.asProbe(gate);
        return false;
      }
      case HELD -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The exchange no longer counts on its lane: its result is there and no stream of it is open. */
  void leaveLane(int lane) {
    laneLoad.decrementAndGet(lane);
  }

  /** Counts one more abandoned stream on the lane, unless it has {@value #MAX_ABANDONED_STREAMS}. */
  boolean tryAbandon(int lane) {
    for (;;) {
      int n = abandonedStreams.get(lane);
      if (n >= MAX_ABANDONED_STREAMS) {
        return false;
      }
      if (abandonedStreams.compareAndSet(lane, n, n + 1)) {
        return true;
      }
    }
  }

  void abandonedEnded(int lane) {
    abandonedStreams.decrementAndGet(lane);
  }

  void lease(
      int lane, String id, Timeout timeout, FutureCallback<AsyncConnectionEndpoint> callback) {
    lanes[lane].lease(id, route, null, timeout, callback);
  }

  void connect(
      int lane,
      AsyncConnectionEndpoint endpoint,
      long timeoutMillis,
      HttpClientContext context,
      FutureCallback<AsyncConnectionEndpoint> callback) {
    lanes[lane].connect(
        endpoint,
        reactor,
        Timeout.ofMilliseconds(Math.min(connectTimeoutMillis, timeoutMillis)),
        null,
        context,
        callback);
  }

  Timeout responseTimeout(long timeoutMillis) {
    return Timeout.ofMilliseconds(Math.min(responseTimeoutMillis, timeoutMillis));
  }

  /** How long the connection may be kept for reuse after this answer, or null to close it. */
  @Nullable TimeValue keepAlive(HttpRequest request, HttpResponse response, HttpClientContext context) {
    if (!DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context)) {
      return null;
    }
    return DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(response, context);
  }

  TimeValue idleKeepAlive() {
    return MAX_IDLE;
  }

  void release(int lane, AsyncConnectionEndpoint endpoint, TimeValue keepAlive) {
    try {
      lanes[lane].release(endpoint, null, keepAlive);
    } catch (RuntimeException e) {
      log.debug("Returning a connection to the pool failed; ignored", e);
    }
  }

  TransportResult classify(HttpResponse response, String body) {
    int status = response.getCode();
    if (status >= 200 && status <= 299) {
      return TransportResult.delivered(status);
    }
    if (status < 100 || status > 599) {
      return TransportResult.ioError("InvalidStatus");
    }
    Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
    ErrorBody error = ErrorBody.parse(body);
    return TransportResult.ofStatus(
        status,
        TransportResult.parseRetryAfter(
            retryAfter == null ? null : retryAfter.getValue(), clock.instant()),
        error.code(),
        error.errorId(),
        scrub(error.message()));
  }

  /** 8x8 would not echo the key, but if a message ever did, it would not leave here. */
  private @Nullable String scrub(@Nullable String message) {
    if (message == null) {
      return null;
    }
    return message.replace(settings.apiKey(), FeedbackSettings.mask(settings.apiKey()));
  }

  public static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // Nothing of ours is in flight any more (the reporter cancelled it), so the reactor stops
      // quickly by itself; the immediate close is the bound.
      HttpClientSetup.shutdown(client, CLOSE_GRACE, log);
      timeouts.shutdownNow(); // attempts still under way were ended by the client's shutdown
      for (NegotiationGate gate : gates) {
        gate.releaseAll();
      }
      for (int i = 1; i < lanes.length; i++) { // the client closed the first
        try {
          lanes[i].close(CloseMode.IMMEDIATE);
        } catch (RuntimeException e) {
          log.debug("Closing a connection pool failed; ignored", e);
        }
      }
      // Our threads are gone when close() returns: a web app's undeploy checks right after.
      List<Thread> own = new ArrayList<>(clientThreads);
      Thread t = timeoutThread;
      if (t != null) {
        own.add(t);
      }
      HttpClientSetup.join(own);
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
