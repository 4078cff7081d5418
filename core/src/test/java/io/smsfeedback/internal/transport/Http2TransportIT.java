package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsSender;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.smsfeedback.testkit.TlsFront;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter over {@code https} to the testkit's {@link TlsFront} (Jetty 12: TLS, ALPN, HTTP/2
 * with at most {@value TlsFront#MAX_CONCURRENT_STREAMS} streams per connection) in front of the
 * simulator, which adds 100 ms to every answer so that hundreds of requests are in flight at once:
 * HTTP/2 is negotiated and few connections carry them all; against a front without HTTP/2 the
 * reporter falls back to HTTP/1.1 keep-alive connections. Delivery stays exact either way.
 */
class Http2TransportIT {

  private static final String KEY = "h2-key-0123456789abcdefWXYZ";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private SmsApiSimulator sim;
  private TlsFront front;
  private FeedbackReporter reporter;

  @BeforeEach
  void start() {
    sim = SmsApiSimulator.builder().apiKey(KEY).maxConnections(2048).build();
    sim.alwaysApply(Fault.latency(Duration.ofMillis(100)));
  }

  @AfterEach
  void stop() {
    if (reporter != null) {
      reporter.close();
    }
    if (front != null) {
      front.close();
    }
    sim.close();
  }

  private ReporterStats deliver(int n) {
    report(n);
    ReporterStats stats = flushed(n);
    assertThat(sim.receivedFeedback()).hasSize(n);
    sim.assertNoDuplicates();
    return stats;
  }

  /** A reporter with room for n, given n feedbacks at once. */
  private void report(int n) {
    reporter =
        FeedbackReporter.create(
            FeedbackSettings.builder()
                .apiKey(KEY)
                .subAccountId("acme-otp")
                .baseUrl(front.baseUri())
                .sslContext(front.clientSslContext())
                .queueCapacity(n)
                .build());
    for (int i = 0; i < n; i++) {
      assertThat(reporter.report(feedback())).isTrue();
    }
  }

  /** Flushes the reporter: all n delivered, the accounting balanced. */
  private ReporterStats flushed(int n) {
    assertThat(reporter.flush(WAIT)).as("flushed").isTrue();
    ReporterStats stats = Accounting.assertBalanced(reporter.stats());
    assertThat(stats.delivered()).isEqualTo(n);
    return stats;
  }

  @Test
  void http2_isNegotiated_andFewConnectionsCarryHundredsOfRequestsInFlight() {
    front = TlsFront.start(sim);

    ReporterStats stats = deliver(3000);

    assertThat(front.requestsByProtocol()).isEqualTo(Map.of("HTTP/2.0", 3000L));
    assertThat(stats.attempts()).isEqualTo(3000);
    // up to 512 in flight, at most 100 streams per connection: 6 lanes, each opening one
    // connection while the other requests of the lane wait for its negotiation; a lane's pool may
    // open a second one when a new stream finds the 100 of the first still closing
    assertThat(front.connectionsOpened()).as("TLS connections").isBetween(2, 12);
  }

  /**
   * Straight on the transport, one lane (one HTTP/2 connection): 50 requests the server answers
   * after 1 s are on the wire when a hung one times out after 300 ms. Closing the connection would
   * fail the 50 (each then retried by the reporter, and 8x8, which had them, would get them twice);
   * abandoning the hung stream leaves them to be answered on the same connection.
   */
  @Test
  void aHungStreamTimesOut_andTheOthersOnItsConnectionAreStillAnswered() throws Exception {
    front = TlsFront.start(sim);
    sim.alwaysApply(Fault.latency(Duration.ofSeconds(1)));
    try (HttpClientTransport transport = oneLane()) {
      assertThat(transport.send(feedback(), WAIT).get().isDelivered()).isTrue(); // the connection

      List<CompletableFuture<TransportResult>> others = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        others.add(transport.send(feedback(), WAIT));
      }
      timeOut(transport, 1);

      for (CompletableFuture<TransportResult> r : others) {
        assertThat(r.get().isDelivered()).as("answered").isTrue();
      }
      assertThat(front.connectionsOpened()).as("TLS connections").isEqualTo(1);
      assertThat(sim.receivedFeedback()).hasSize(51);
      sim.assertNoDuplicates();
    }
  }

  /**
   * Straight on the transport, one lane (100 streams): timed-out streams are abandoned, the
   * connection kept and reused, up to {@value HttpClientTransport#MAX_ABANDONED_STREAMS}; one more
   * closes the connection, which ends them all, and the next connection may abandon as many again.
   */
  @Test
  void abandonedStreams_keepTheConnection_upToTheirBound_thenItIsClosed() throws Exception {
    front = TlsFront.start(sim);
    try (HttpClientTransport transport = oneLane()) {
      assertThat(transport.send(feedback(), WAIT).get().isDelivered()).isTrue();

      timeOut(transport, HttpClientTransport.MAX_ABANDONED_STREAMS);
      assertThat(transport.send(feedback(), WAIT).get().isDelivered()).isTrue();
      assertThat(front.connectionsOpened()).as("still the first connection").isEqualTo(1);
      assertThat(front.connectionsOpen()).isEqualTo(1);

      timeOut(transport, 1);
      await().atMost(WAIT).until(() -> front.connectionsOpen() == 0);

      // a new connection (one send opens it: the negotiation gate holds back only the first)
      assertThat(transport.send(feedback(), WAIT).get().isDelivered()).isTrue();
      timeOut(transport, HttpClientTransport.MAX_ABANDONED_STREAMS);
      assertThat(transport.send(feedback(), WAIT).get().isDelivered()).isTrue();
      assertThat(front.connectionsOpened()).as("the second connection kept").isEqualTo(2);
      assertThat(front.connectionsOpen()).isEqualTo(1);
    }
  }

  /** The transport alone, with one lane of 100 streams and a 30 s response timeout. */
  private HttpClientTransport oneLane() {
    return HttpClientTransport.create(
        FeedbackSettings.builder()
            .apiKey(KEY)
            .subAccountId("acme-otp")
            .baseUrl(front.baseUri())
            .sslContext(front.clientSslContext())
            .maxConcurrentRequests(100)
            .responseTimeout(Duration.ofSeconds(30))
            .build(),
        Clock.systemUTC());
  }

  /** Sends {@code n} feedbacks whose server never answers, at once, and waits for their timeouts. */
  private void timeOut(HttpClientTransport transport, int n) {
    List<CompletableFuture<TransportResult>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Feedback f = feedback();
      sim.faultsForUmid(f.umid(), Fault.hang());
      results.add(transport.send(f, Duration.ofMillis(300)));
    }
    for (CompletableFuture<TransportResult> r : results) {
      assertThat(r.join().ioError()).isEqualTo("timeout");
    }
  }

  private static Feedback feedback() {
    Instant now = Instant.now();
    return Feedback.of(
        new SentOtp("acme-otp", UUID.randomUUID(), now.minusSeconds(5)), Outcome.FAILURE, now, now);
  }

  /**
   * The front drops every connection while about 500 requests are in flight and thousands wait:
   * each lane opens one new connection, and the retries and the rest share it. Before, every
   * request in flight or sent right after found no connection and opened its own (~500).
   */
  @Test
  void droppedConnections_areReplacedByOnePerLane_notOnePerRequest() {
    front = TlsFront.start(sim);
    report(4000);
    assertThat(sim.await(() -> sim.receivedFeedback().size() >= 1000, WAIT)).isTrue();
    int before = front.connectionsOpened();

    front.dropConnections();

    flushed(4000);
    int lanes = FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS / 100 + 1; // 6
    assertThat(front.connectionsOpened() - before)
        .as("TLS connections opened after the drop")
        .isBetween(1, 2 * lanes);
  }

  @Test
  void withoutHttp2_itFallsBackToHttp11KeepAlive() {
    front = TlsFront.http11Only(sim);

    deliver(3000);

    assertThat(front.requestsByProtocol()).isEqualTo(Map.of("HTTP/1.1", 3000L));
    assertThat(front.connectionsOpened())
        .as("one connection per request in flight (up to 512), reused; 6 lanes of 100 at most")
        .isGreaterThan(100)
        .isLessThanOrEqualTo(600);
  }

  @Test
  void theSmsSender_sendsOverHttp2_too() throws Exception {
    front = TlsFront.start(sim);
    try (SmsSender sender =
        SmsSender.create(
            FeedbackSettings.builder()
                .apiKey(KEY)
                .subAccountId("acme-otp")
                .baseUrl(front.baseUri())
                .sslContext(front.clientSslContext())
                .build())) {
      SentSms sent = sender.send("+6591234567", "Your code is 123456");

      assertThat(sim.sentMessagesTo("+6591234567"))
          .singleElement()
          .satisfies(m -> assertThat(m.umid()).isEqualTo(sent.otp().umid()));
      assertThat(sent.callingCode()).isEqualTo("65");
      assertThat(front.requestsByProtocol()).isEqualTo(Map.of("HTTP/2.0", 1L));
    }
  }
}
