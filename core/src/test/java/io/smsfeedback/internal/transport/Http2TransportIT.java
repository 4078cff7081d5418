package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsSender;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.smsfeedback.testkit.TlsFront;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
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
    reporter =
        FeedbackReporter.create(
            FeedbackSettings.builder()
                .apiKey(KEY)
                .subAccountId("acme-otp")
                .baseUrl(front.baseUri())
                .sslContext(front.clientSslContext())
                .queueCapacity(n)
                .build());
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      SentOtp otp = new SentOtp("acme-otp", UUID.randomUUID(), now.minusSeconds(5));
      assertThat(reporter.report(Feedback.of(otp, Outcome.FAILURE, now, now))).isTrue();
    }
    assertThat(reporter.flush(WAIT)).as("flushed").isTrue();
    ReporterStats stats = Accounting.assertBalanced(reporter.stats());
    assertThat(stats.delivered()).isEqualTo(n);
    assertThat(sim.receivedFeedback()).hasSize(n);
    sim.assertNoDuplicates();
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
