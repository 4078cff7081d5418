package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.StuckPort;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.RecordedRequest;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The default transport over real loopback HTTP against the 8x8 simulator. */
class HttpClientTransportIT {

  static final String KEY = "it-key-0123456789abcdefWXYZ";
  static final Duration TIMEOUT = Duration.ofMillis(500);
  static final Duration SLACK = Duration.ofMillis(700);

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  SmsApiSimulator sim;
  FeedbackTransport transport;

  static FeedbackSettings settings(URI baseUrl, String key) {
    return FeedbackSettings.builder()
        .apiKey(key)
        .subAccountId("acme-otp")
        .baseUrl(baseUrl)
        .connectTimeout(Duration.ofMillis(300))
        .responseTimeout(Duration.ofMillis(400))
        .maxConcurrentRequests(4)
        .build();
  }

  static Feedback feedback() {
    Instant now = Instant.now();
    return new Feedback(new SentOtp("acme-otp", UUID.randomUUID(), now.minusSeconds(3)), Outcome.SUCCESS, now);
  }

  @BeforeEach
  void start() {
    sim = extension.simulator();
    transport = HttpClientTransport.create(settings(sim.baseUri(), KEY), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    transport.close();
  }

  TransportResult send(Feedback f) throws Exception {
    long start = System.nanoTime();
    TransportResult r = transport.send(f, TIMEOUT).get(TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("answered within the timeout plus a small slack")
        .isLessThan(TIMEOUT.plus(SLACK));
    return r;
  }

  @Test
  void send_postsExactlyTheDocumentedRequest() throws Exception {
    UUID umid = UUID.randomUUID();
    Feedback f =
        new Feedback(
            new SentOtp("acme-otp", umid, Instant.parse("2026-01-01T00:00:00Z")),
            Outcome.SUCCESS,
            Instant.parse("2026-01-01T00:00:05.123456Z"));

    TransportResult r = send(f);

    assertThat(r).isEqualTo(TransportResult.delivered(200));
    RecordedRequest req = sim.requestsFor(umid).get(0);
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.target()).isEqualTo("/api/v1/subaccounts/acme-otp/messages/" + umid + "/feedback");
    assertThat(req.header("authorization")).contains("Bearer " + KEY);
    assertThat(req.header("content-type")).contains("application/json");
    assertThat(req.header("user-agent")).contains(HttpClientTransport.userAgent());
    assertThat(HttpClientTransport.userAgent()).startsWith("sms-feedback-java/0.");
    assertThat(req.bodyText())
        .isEqualTo("{\"outcome\":\"success\",\"timestamp\":\"2026-01-01T00:00:05.123Z\"}");
    assertThat(req.verdict()).isEqualTo(RecordedRequest.Verdict.ACCEPTED);
    assertThat(sim.receivedFeedback(umid)).singleElement().satisfies(rf -> {
      assertThat(rf.outcome()).isEqualTo("success");
      assertThat(rf.timestamp()).isEqualTo("2026-01-01T00:00:05.123Z");
      assertThat(rf.subAccountId()).isEqualTo("acme-otp");
    });
  }

  @Test
  void send_encodesTheSubaccountSegment() throws Exception {
    UUID umid = UUID.randomUUID();
    Instant now = Instant.now();
    send(new Feedback(new SentOtp("a.b_c-d&e", umid, now), Outcome.FAILURE, now));
    RecordedRequest req = sim.requestsFor(umid).get(0);
    assertThat(req.subAccountId()).isEqualTo("a.b_c-d&e");
    assertThat(req.outcome()).isEqualTo("failure");
    assertThat(sim.receivedFeedback(umid)).hasSize(1);
  }

  @Test
  void badRequest_isRejectedWithEightByEightsErrorDetails() throws Exception {
    sim.enqueueStatuses(400);
    TransportResult r = send(feedback());
    assertThat(r.isRejected()).isTrue();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isNotNull();
    assertThat(r.errorId()).isNotBlank();
    assertThat(r.errorMessage()).isNotBlank();
  }

  @Test
  void wrongKey_isRejected401_andTheKeyIsNotInTheResult() throws Exception {
    try (FeedbackTransport wrong =
        HttpClientTransport.create(settings(sim.baseUri(), "wrong-key-0123456789"), Clock.systemUTC())) {
      TransportResult r = wrong.send(feedback(), TIMEOUT).get(5, TimeUnit.SECONDS);
      assertThat(r.isRejected()).isTrue();
      assertThat(r.isAuthFailure()).isTrue();
      assertThat(r.errorCode()).isEqualTo(1200);
      assertThat(r.toString()).doesNotContain("wrong-key-0123456789");
    }
  }

  @Test
  void serverErrors_areRetryable() throws Exception {
    sim.enqueueStatuses(500, 502, 503, 504);
    for (int status : new int[] {500, 502, 503, 504}) {
      TransportResult r = send(feedback());
      assertThat(r.isRetryable()).isTrue();
      assertThat(r.status()).isEqualTo(status);
    }
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void tooManyRequests_carriesRetryAfterInSecondsOrAsADate() throws Exception {
    sim.enqueueFaults(
        Fault.tooManyRequests(Duration.ofSeconds(7)),
        Fault.tooManyRequests(Instant.now().plusSeconds(30)),
        Fault.status(503).withHeader("Retry-After", "whenever"));
    TransportResult seconds = send(feedback());
    assertThat(seconds.status()).isEqualTo(429);
    assertThat(seconds.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    TransportResult date = send(feedback());
    assertThat(date.retryAfter()).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(31));
    TransportResult malformed = send(feedback());
    assertThat(malformed.isRetryable()).isTrue();
    assertThat(malformed.retryAfter()).isNull();
  }

  @Test
  void slowerThanTheTimeout_isARetryableTimeout_withinTheTimeout() throws Exception {
    sim.enqueueFaults(Fault.latency(Duration.ofSeconds(3)));
    TransportResult r = send(feedback());
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.status()).isZero();
  }

  @Test
  void hangingServer_isCutAtTheGivenTimeout() throws Exception {
    sim.hangAll();
    long start = System.nanoTime();
    TransportResult r =
        transport.send(feedback(), Duration.ofMillis(150)).get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150).plus(SLACK));
    assertThat(r.isRetryable()).isTrue();
  }

  @Test
  void connectionClosedBeforeTheAnswer_isRetryable() throws Exception {
    sim.enqueueFaults(Fault.closeBeforeAnswer());
    TransportResult r = send(feedback());
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.ioError()).isNotBlank();
  }

  @Test
  void resetMidBodyOfA200_countsAsDelivered() throws Exception {
    sim.enqueueFaults(Fault.resetMidBody());
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void malformedOrTruncated200Body_countsAsDelivered() throws Exception {
    sim.enqueueFaults(Fault.malformedBody(), Fault.wrongContentLength());
    assertThat(send(feedback()).isDelivered()).isTrue();
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void portThatNeverAccepts_isARetryableConnectTimeout() throws Exception {
    try (StuckPort stuck = StuckPort.open();
        FeedbackTransport t = HttpClientTransport.create(settings(stuck.baseUrl(), KEY), Clock.systemUTC())) {
      long start = System.nanoTime();
      TransportResult r = t.send(feedback(), TIMEOUT).get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plus(SLACK));
      assertThat(r.isRetryable()).isTrue();
      assertThat(r.status()).isZero();
    }
  }
}
