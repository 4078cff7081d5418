package io.smsfeedback.testkit;

import io.smsfeedback.testkit.internal.HttpLimits;
import io.smsfeedback.testkit.internal.LoopbackHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * An 8x8 SMS API simulator on a loopback port: the Success Feedback endpoint and the send-SMS
 * endpoint, validated like 8x8 documents them, with scriptable faults, a record of every request
 * and assertions for tests.
 *
 * <pre>{@code
 * try (SmsApiSimulator sim = SmsApiSimulator.start()) {
 *   // point the client at sim.baseUrl() with key SmsApiSimulator.DEFAULT_API_KEY
 *   sim.enqueueStatuses(503, 503);                 // the next two feedback requests fail
 *   ...
 *   ReceivedFeedback f = sim.awaitFeedback(umid, Duration.ofSeconds(5));
 *   sim.assertNoDuplicates();
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> {@code POST /api/v1/subaccounts/{subAccountId}/messages/{umid}/feedback}
 * answers 200 with an empty body for a valid request, else 400/401 (405 for another method) with
 * 8x8's error JSON {@code {"code","message","errorId","timestamp"}}. {@code POST
 * /api/v1/subaccounts/{subAccountId}/messages} stores the SMS and answers its new {@code umid}.
 * Other paths answer 404. {@code GET /} shows an HTML dashboard; {@code GET /api/feedback} and
 * {@code GET /api/messages[?destination=...]} list accepted feedback and sent messages as JSON.
 *
 * <p><b>Faults</b> apply to feedback requests in this order: the umid's own queue ({@link
 * #faultsForUmid}), then the shared queue of the next requests ({@link #enqueueFaults}), then a
 * random share ({@link #applyRandomly}), then the standing fault ({@link #alwaysApply}); each
 * queued fault is used once. Send requests have
 * their own queue ({@link #enqueueSendFaults}). Faults are applied whatever the request's
 * validity, unless made {@link Fault#afterProcessing()}.
 *
 * <p><b>Threading.</b> Every method is thread-safe. Requests are served concurrently, one pooled
 * thread per open connection; a fault's latency or hang holds only its own connection. Query
 * methods return snapshots. Each request is recorded before its answer is sent, so a client that
 * got its answer finds its request in the records.
 *
 * <p><b>Lifecycle.</b> Started by {@link #start()} or {@link Builder#build()}, bound to 127.0.0.1
 * only; {@link #close()} drops all connections (hung ones too) and is idempotent.
 */
public final class SmsApiSimulator implements AutoCloseable {

  /** The API key a simulator accepts unless configured otherwise. */
  public static final String DEFAULT_API_KEY = "test-api-key";

  /**
   * How many requests {@link #requests()} keeps unless configured otherwise (the oldest are
   * dropped beyond it; received feedback, attempts and sent messages are always kept in full).
   */
  public static final int DEFAULT_MAX_RECORDED_REQUESTS = 10_000;

  private final LoopbackHttpServer server;
  private final String apiKey;
  private final RecordStore store;
  private final FaultScript faults;
  private final String baseUrl;

  private SmsApiSimulator(Builder builder) throws IOException {
    this.apiKey = builder.apiKey;
    this.store = new RecordStore(builder.maxRecordedRequests);
    this.faults = new FaultScript();
    ApiHandler handler = new ApiHandler(apiKey, builder.clock, store, faults);
    HttpLimits limits =
        new HttpLimits(
            HttpLimits.DEFAULTS.maxRequestLineBytes(),
            builder.maxHeaderBytes,
            HttpLimits.DEFAULTS.maxHeaderCount(),
            builder.maxBodyBytes,
            builder.idleTimeout,
            builder.maxConnections);
    InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    this.server = LoopbackHttpServer.start(loopback, builder.port, limits, handler, "sms-sim");
    this.baseUrl = "http://127.0.0.1:" + server.port();
  }

  /** Starts a simulator with the defaults: a free loopback port, key {@value #DEFAULT_API_KEY}. */
  public static SmsApiSimulator start() {
    return builder().build();
  }

  /** A builder for a simulator with other settings. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- addresses ----

  /** The base URL, e.g. {@code http://127.0.0.1:54321} (no trailing slash). */
  public String baseUrl() {
    return baseUrl;
  }

  /** The base URL as a URI. */
  public URI baseUri() {
    return URI.create(baseUrl);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The API key the simulator accepts. */
  public String apiKey() {
    return apiKey;
  }

  /** The feedback URI for a subaccount (percent-encoded) and umid. */
  public URI feedbackUri(String subAccountId, UUID umid) {
    return URI.create(
        baseUrl
            + "/api/v1/subaccounts/"
            + encode(subAccountId)
            + "/messages/"
            + umid
            + "/feedback");
  }

  /** The send-SMS URI for a subaccount (percent-encoded). */
  public URI sendUri(String subAccountId) {
    return URI.create(baseUrl + "/api/v1/subaccounts/" + encode(subAccountId) + "/messages");
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Whether the simulator is serving (not yet closed). */
  public boolean isRunning() {
    return !server.isClosed();
  }

  /** Stops serving: closes the port and every open connection. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  // ---- faults ----

  /** Queues faults for the next feedback requests, one each, in order (after the umid queues). */
  public SmsApiSimulator enqueueFaults(Fault... faults) {
    this.faults.enqueueFeedback(list(faults));
    return this;
  }

  /**
   * Queues plain statuses for the next feedback requests, e.g. {@code enqueueStatuses(503, 503)}:
   * two failures, then normal answers. Same as {@link #enqueueFaults} with {@link Fault#status}.
   */
  public SmsApiSimulator enqueueStatuses(int... statuses) {
    List<Fault> list = new ArrayList<>(statuses.length);
    for (int status : statuses) {
      list.add(Fault.status(status));
    }
    faults.enqueueFeedback(list);
    return this;
  }

  /** Queues faults for the next feedback requests about {@code umid}, one each, in order. */
  public SmsApiSimulator faultsForUmid(UUID umid, Fault... faults) {
    Objects.requireNonNull(umid, "umid");
    this.faults.forUmid(umid, list(faults));
    return this;
  }

  /** Queues faults for the next send-SMS requests, one each, in order. */
  public SmsApiSimulator enqueueSendFaults(Fault... faults) {
    this.faults.enqueueSend(list(faults));
    return this;
  }

  /** Applies {@code fault} to every feedback request no queued fault applies to. */
  public SmsApiSimulator alwaysApply(Fault fault) {
    faults.always(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Applies {@code fault} to a random share {@code fraction} of the feedback requests no queued
   * fault applies to (the rest get the standing fault, if any): each request draws from a generator
   * seeded with {@code seed}, so the sequence of draws repeats (which request gets which draw
   * depends on their arrival order). Replaces an earlier random share; {@link #clearFaults()}
   * removes it. E.g. 8x8 rate-limiting 10% of the requests: {@code
   * applyRandomly(Fault.tooManyRequests(Duration.ofSeconds(1)), 0.1, 42)}.
   *
   * @throws IllegalArgumentException if {@code fraction} is not in [0, 1]
   */
  public SmsApiSimulator applyRandomly(Fault fault, double fraction, long seed) {
    Objects.requireNonNull(fault, "fault");
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1]: " + fraction);
    }
    faults.sometimes(fault, fraction, seed);
    return this;
  }

  /** Answers every feedback request {@code status} (unless a queued fault applies). */
  public SmsApiSimulator respondAlways(int status) {
    return alwaysApply(Fault.status(status));
  }

  /** Leaves every feedback request unanswered (unless a queued fault applies). */
  public SmsApiSimulator hangAll() {
    return alwaysApply(Fault.hang());
  }

  /** Removes every queued and standing fault. Requests in progress keep theirs. */
  public SmsApiSimulator clearFaults() {
    faults.clear();
    return this;
  }

  /** How many queued faults are still unused (standing fault not counted). */
  public int pendingFaults() {
    return faults.pending();
  }

  private static List<Fault> list(Fault[] faults) {
    List<Fault> list = Arrays.asList(faults.clone());
    for (Fault f : list) {
      Objects.requireNonNull(f, "fault");
    }
    return list;
  }

  // ---- queries ----

  /** Every accepted feedback, in the order accepted, duplicates included. */
  public List<ReceivedFeedback> receivedFeedback() {
    return store.accepted();
  }

  /** The accepted feedback for one umid, in order (normally zero or one). */
  public List<ReceivedFeedback> receivedFeedback(UUID umid) {
    return store.accepted(umid);
  }

  /**
   * The recorded API requests (accepted, rejected and faulted), in the order recorded, at most
   * the configured number (the newest).
   */
  public List<RecordedRequest> requests() {
    return store.requests();
  }

  /** The recorded requests to the feedback endpoint. */
  public List<RecordedRequest> feedbackRequests() {
    return store.requests().stream()
        .filter(r -> r.endpoint() == RecordedRequest.Endpoint.FEEDBACK)
        .collect(Collectors.toUnmodifiableList());
  }

  /** The recorded feedback requests whose path named {@code umid}. */
  public List<RecordedRequest> requestsFor(UUID umid) {
    return store.requests().stream()
        .filter(r -> r.endpoint() == RecordedRequest.Endpoint.FEEDBACK && umid.equals(r.umid()))
        .collect(Collectors.toUnmodifiableList());
  }

  /** How many feedback requests named {@code umid}, whatever their answer or fault. */
  public int attempts(UUID umid) {
    return store.attempts(umid);
  }

  /** Accepted feedback counted by outcome. */
  public ConversionSummary conversion() {
    return store.conversion();
  }

  /** Every message accepted by the send endpoint, in order. */
  public List<SentMessage> sentMessages() {
    return store.sent();
  }

  /** The messages sent to {@code destination} (a leading {@code +} is ignored), in order. */
  public List<SentMessage> sentMessagesTo(String destination) {
    String wanted = RecordStore.normalize(destination);
    return store.sent().stream()
        .filter(m -> RecordStore.normalize(m.destination()).equals(wanted))
        .collect(Collectors.toUnmodifiableList());
  }

  /** The last message sent to {@code destination} (a leading {@code +} is ignored). */
  public Optional<SentMessage> lastMessageTo(String destination) {
    return Optional.ofNullable(store.lastTo(destination));
  }

  /** Forgets every record and every fault (the sequence numbers keep counting). */
  public void reset() {
    faults.clear();
    store.clear();
  }

  // ---- waiting and assertions ----

  /**
   * Blocks until feedback for {@code umid} is accepted and returns it (the first one); returns at
   * once when it already was.
   *
   * @throws AssertionError when none arrives within {@code timeout}, naming the attempts seen
   */
  public ReceivedFeedback awaitFeedback(UUID umid, Duration timeout) {
    if (!await(() -> !store.accepted(umid).isEmpty(), timeout)) {
      throw new AssertionError(
          "no feedback accepted for umid "
              + umid
              + " within "
              + timeout.toMillis()
              + " ms; requests for it: "
              + requestsFor(umid));
    }
    return store.accepted(umid).get(0);
  }

  /**
   * Blocks until at least {@code count} feedback in total are accepted.
   *
   * @return all accepted feedback
   * @throws AssertionError when fewer arrive within {@code timeout}
   */
  public List<ReceivedFeedback> awaitFeedbackCount(int count, Duration timeout) {
    if (!await(() -> store.acceptedCount() >= count, timeout)) {
      throw new AssertionError(
          "expected at least "
              + count
              + " accepted feedback within "
              + timeout.toMillis()
              + " ms, got "
              + store.acceptedCount());
    }
    return receivedFeedback();
  }

  /**
   * Blocks until at least {@code count} feedback requests named {@code umid}, whatever their
   * answer.
   *
   * @return the recorded requests for the umid
   * @throws AssertionError when fewer arrive within {@code timeout}
   */
  public List<RecordedRequest> awaitAttempts(UUID umid, int count, Duration timeout) {
    if (!await(() -> store.attempts(umid) >= count, timeout)) {
      throw new AssertionError(
          "expected at least "
              + count
              + " requests for umid "
              + umid
              + " within "
              + timeout.toMillis()
              + " ms, got "
              + store.attempts(umid)
              + ": "
              + requestsFor(umid));
    }
    return requestsFor(umid);
  }

  /**
   * Blocks until {@code condition} holds; it is checked now and after each recorded request (on
   * the serving thread, so it must be fast and must not throw or block).
   *
   * @return whether it held within {@code timeout}; false also when interrupted (the interrupt
   *     flag is kept)
   */
  public boolean await(BooleanSupplier condition, Duration timeout) {
    try {
      return store.await(condition, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Asserts that no umid had feedback accepted more than once.
   *
   * @throws AssertionError listing each duplicated umid with its accepted feedback
   */
  public void assertNoDuplicates() {
    Map<UUID, List<ReceivedFeedback>> duplicates = store.duplicates();
    if (duplicates.isEmpty()) {
      return;
    }
    StringBuilder sb =
        new StringBuilder("feedback accepted more than once for ")
            .append(duplicates.size())
            .append(duplicates.size() == 1 ? " umid:" : " umids:");
    duplicates.forEach(
        (umid, list) -> {
          sb.append("\n  ").append(umid).append(": ").append(list.size()).append(" times");
          for (ReceivedFeedback f : list) {
            sb.append("\n    #")
                .append(f.sequence())
                .append(' ')
                .append(f.outcome())
                .append(" timestamp=")
                .append(f.timestamp())
                .append(" received ")
                .append(f.receivedAt());
          }
        });
    throw new AssertionError(sb.toString());
  }

  @Override
  public String toString() {
    return "SmsApiSimulator[" + baseUrl + (isRunning() ? "" : ", closed") + "]";
  }

  /** Settings for a simulator; {@link #build()} starts it. Not thread-safe; reusable. */
  public static final class Builder {
    private int port;
    private String apiKey = DEFAULT_API_KEY;
    private int maxRecordedRequests = DEFAULT_MAX_RECORDED_REQUESTS;
    private int maxBodyBytes = HttpLimits.DEFAULTS.maxBodyBytes();
    private int maxHeaderBytes = HttpLimits.DEFAULTS.maxHeaderBytes();
    private Duration idleTimeout = HttpLimits.DEFAULTS.idleTimeout();
    private int maxConnections = HttpLimits.DEFAULTS.maxConnections();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The loopback port, 0 (the default) for a free one; 0..65535. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The API key to accept as {@code Authorization: Bearer <key>}; default {@value
     * SmsApiSimulator#DEFAULT_API_KEY}.
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isEmpty() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "apiKey must be non-empty printable ASCII without spaces");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * How many requests {@link SmsApiSimulator#requests()} keeps; default {@value
     * SmsApiSimulator#DEFAULT_MAX_RECORDED_REQUESTS}; > 0.
     */
    public Builder maxRecordedRequests(int maxRecordedRequests) {
      if (maxRecordedRequests <= 0) {
        throw new IllegalArgumentException(
            "maxRecordedRequests must be > 0: " + maxRecordedRequests);
      }
      this.maxRecordedRequests = maxRecordedRequests;
      return this;
    }

    /** The largest request body; larger ones are answered 413. Default 1 MiB; > 0. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be > 0: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** The most bytes of request headers; more are answered 431. Default 16 KiB; >= 256. */
    public Builder maxHeaderBytes(int maxHeaderBytes) {
      if (maxHeaderBytes < 256) {
        throw new IllegalArgumentException("maxHeaderBytes must be >= 256: " + maxHeaderBytes);
      }
      this.maxHeaderBytes = maxHeaderBytes;
      return this;
    }

    /**
     * How long a connection may stay silent, between requests or inside one (then 408). Default
     * 60 s; > 0. A hung fault is not subject to it.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be > 0: " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** The most connections served at once; more are answered 503. Default 1024; > 0. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections <= 0) {
        throw new IllegalArgumentException("maxConnections must be > 0: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** The clock for arrival times and error timestamps; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public SmsApiSimulator build() {
      try {
        return new SmsApiSimulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the simulator on 127.0.0.1:" + port, e);
      }
    }
  }
}
