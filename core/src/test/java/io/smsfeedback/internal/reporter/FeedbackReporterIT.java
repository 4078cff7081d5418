package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.RecordingListener;
import io.smsfeedback.testing.StuckPort;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.RecordedRequest;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reporter with its real HttpClient transport against the 8x8 simulator, in real time. */
class FeedbackReporterIT {

  static final String KEY = "it-key-0123456789abcdefWXYZ";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  SmsApiSimulator sim;
  final RecordingListener listener = new RecordingListener();
  final List<FeedbackReporter> reporters = new ArrayList<>();

  @BeforeEach
  void start() {
    sim = extension.simulator();
  }

  @AfterEach
  void closeAll() {
    for (FeedbackReporter r : reporters) {
      r.close();
      Accounting.assertBalanced(r.stats());
    }
  }

  FeedbackReporter reporter(UnaryOperator<FeedbackSettings.Builder> tune) {
    return reporter(sim.baseUri(), KEY, tune);
  }

  FeedbackReporter reporter(URI baseUrl, String key, UnaryOperator<FeedbackSettings.Builder> tune) {
    FeedbackSettings settings =
        tune.apply(
                FeedbackSettings.builder()
                    .apiKey(key)
                    .subAccountId("acme-otp")
                    .baseUrl(baseUrl)
                    // Generous by default so that a loaded CI machine causes no spurious retry;
                    // the tests about timeouts set short ones themselves.
                    .connectTimeout(Duration.ofSeconds(2))
                    .responseTimeout(Duration.ofSeconds(3))
                    .retryInitialBackoff(Duration.ofMillis(10))
                    .retryMaxBackoff(Duration.ofMillis(100))
                    .shutdownTimeout(Duration.ofSeconds(2)))
            .build();
    FeedbackReporter r = FeedbackReporter.builder(settings).addListener(listener).build();
    reporters.add(r);
    return r;
  }

  static Feedback feedback() {
    return feedbackSentAgo(Duration.ofSeconds(2));
  }

  static Feedback feedbackSentAgo(Duration ago) {
    Instant now = Instant.now();
    return new Feedback(new SentOtp("acme-otp", UUID.randomUUID(), now.minus(ago)), Outcome.SUCCESS, now);
  }

  static ReporterStats flushed(FeedbackReporter r) {
    assertThat(r.flush(WAIT)).as("flushed").isTrue();
    return Accounting.assertBalanced(r.stats());
  }

  @Test
  void report_deliversEachFeedbackExactlyOnce() {
    FeedbackReporter r = reporter(b -> b);
    List<Feedback> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Feedback f = i % 2 == 0 ? feedback() : Feedback.of(feedback().otp(), Outcome.FAILURE, Instant.now(), Instant.now());
      sent.add(f);
      assertThat(r.report(f)).isTrue();
    }

    ReporterStats s = flushed(r);

    assertThat(s.delivered()).isEqualTo(30);
    assertThat(s.attempts()).isEqualTo(30);
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(30);
    for (Feedback f : sent) {
      assertThat(sim.receivedFeedback(f.umid())).singleElement()
          .satisfies(rf -> assertThat(rf.outcome()).isEqualTo(f.outcome().wireValue()));
    }
    assertThat(listener.terminals(DeliveryState.DELIVERED)).hasSize(30)
        .allSatisfy(e -> assertThat(e.latency()).isNotNull().isPositive());
  }

  @Test
  void badRequest_isRejectedOnce() {
    FeedbackReporter r = reporter(b -> b);
    Feedback f = feedback();
    sim.faultsForUmid(f.umid(), Fault.status(400));
    r.report(f);

    ReporterStats s = flushed(r);

    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.authFailing()).isFalse();
    assertThat(sim.attempts(f.umid())).isEqualTo(1);
    assertThat(sim.receivedFeedback()).isEmpty();
    DeliveryEvent e = listener.terminals.get(0);
    assertThat(e.lastStatus()).isEqualTo(400);
    assertThat(e.lastResult().errorId()).isNotBlank();
  }

  @Test
  void wrongKey_isRejected401_andMarksAuthFailing() {
    FeedbackReporter r = reporter(sim.baseUri(), "wrong-key-0123456789", b -> b);
    r.report(feedback());

    ReporterStats s = flushed(r);

    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.authFailing()).isTrue();
    assertThat(s.lastError()).startsWith("HTTP 401");
    assertThat(sim.feedbackRequests()).singleElement()
        .satisfies(req -> assertThat(req.status()).isEqualTo(401));
    assertThat(sim.receivedFeedback()).isEmpty();
  }

  @Test
  void serverErrors_areRetriedUntilDelivered() {
    FeedbackReporter r = reporter(b -> b);
    Feedback f = feedback();
    sim.faultsForUmid(f.umid(), Fault.status(500), Fault.status(502), Fault.status(503));
    r.report(f);

    ReporterStats s = flushed(r);

    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.attempts()).isEqualTo(4);
    assertThat(s.retries()).isEqualTo(3);
    assertThat(sim.requestsFor(f.umid())).extracting(RecordedRequest::status)
        .containsExactly(500, 502, 503, 200);
    assertThat(sim.receivedFeedback(f.umid())).hasSize(1);
  }

  @Test
  void tooManyRequests_withRetryAfter_pausesEverythingThenDelivers() {
    FeedbackReporter r = reporter(b -> b);
    Feedback first = feedback();
    sim.faultsForUmid(first.umid(), Fault.tooManyRequests(Duration.ofSeconds(1)));
    r.report(first);
    await().atMost(WAIT).until(() -> String.valueOf(r.stats().lastError()).startsWith("HTTP 429"));
    Feedback second = feedback();
    r.report(second);

    ReporterStats s = flushed(r);

    assertThat(s.delivered()).isEqualTo(2);
    List<RecordedRequest> firstRequests = sim.requestsFor(first.umid());
    assertThat(firstRequests).extracting(RecordedRequest::status).containsExactly(429, 200);
    Instant pausedFrom = firstRequests.get(0).receivedAt();
    assertThat(Duration.between(pausedFrom, firstRequests.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(Duration.between(pausedFrom, sim.requestsFor(second.umid()).get(0).receivedAt()))
        .as("a new feedback waits for the pause too")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    sim.assertNoDuplicates();
  }

  @Test
  void responseSlowerThanTheTimeout_isRetried() {
    FeedbackReporter r = reporter(b -> b.responseTimeout(Duration.ofSeconds(1)));
    Feedback f = feedback();
    sim.faultsForUmid(f.umid(), Fault.status(200).withLatency(Duration.ofSeconds(2)));
    r.report(f);

    ReporterStats s = flushed(r);

    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.attempts()).isEqualTo(2);
    assertThat(listener.attempts.get(0).result().isRetryable()).isTrue();
    assertThat(listener.attempts.get(0).duration()).isLessThan(Duration.ofSeconds(2));
    assertThat(sim.receivedFeedback(f.umid())).hasSize(1);
  }

  @Test
  void connectionClosedOrResetMidResponse_isHandled() {
    FeedbackReporter r = reporter(b -> b);
    Feedback closed = feedback();
    Feedback reset = feedback();
    sim.faultsForUmid(closed.umid(), Fault.closeBeforeAnswer());
    sim.faultsForUmid(reset.umid(), Fault.resetMidBody().afterProcessing());
    r.report(closed);
    r.report(reset);

    ReporterStats s = flushed(r);

    assertThat(s.delivered()).isEqualTo(2);
    assertThat(sim.attempts(closed.umid())).as("closed before the answer: retried").isEqualTo(2);
    assertThat(sim.attempts(reset.umid())).as("200 head seen: not sent again").isEqualTo(1);
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(2);
  }

  @Test
  void portThatNeverAccepts_timesOutAndExpiresAtTheDeadline() throws Exception {
    try (StuckPort stuck = StuckPort.open()) {
      FeedbackReporter r =
          reporter(
              stuck.baseUrl(),
              KEY,
              b ->
                  b.validity(Duration.ofSeconds(2))
                      .abandonAfter(Duration.ofSeconds(1))
                      .connectTimeout(Duration.ofMillis(200))
                      .responseTimeout(Duration.ofMillis(300)));
      long start = System.nanoTime();
      assertThat(r.report(feedbackSentAgo(Duration.ofMillis(500)))).isTrue(); // deadline in 1.5s
      ReporterStats s = flushed(r);
      assertThat(s.expired()).isEqualTo(1);
      assertThat(s.attempts()).as("each attempt cut by the connect timeout").isGreaterThanOrEqualTo(2);
      assertThat(listener.attempts).allSatisfy(a -> {
        assertThat(a.result().status()).isZero();
        assertThat(a.duration()).isLessThan(Duration.ofMillis(900));
      });
      assertThat(s.lastError()).isNotBlank();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void hungServerDuringClose_closeReturnsWithinShutdownTimeout_andCountsTheRestDropped() {
    sim.hangAll();
    FeedbackReporter r =
        reporter(b -> b.responseTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofMillis(500)));
    for (int i = 0; i < 3; i++) {
      r.report(feedback());
    }
    await().atMost(WAIT).until(() -> sim.feedbackRequests().size() == 3);

    long start = System.nanoTime();
    r.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofMillis(500).plusSeconds(1));
    ReporterStats s = Accounting.assertBalanced(r.stats());
    assertThat(s.droppedShutdown()).isEqualTo(3);
    assertThat(s.inFlight() + s.queued()).isZero();
    assertThat(sim.receivedFeedback()).isEmpty();
    assertThat(r.report(feedback())).isFalse();
  }
}
