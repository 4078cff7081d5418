package io.smsfeedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.FakeTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The public entry points with their default parts (real thread, system clock). */
class FeedbackReporterTest {

  static final String KEY = "sk-live-0123456789abcdefWXYZ";

  static FeedbackSettings settings() {
    return FeedbackSettings.builder()
        .apiKey(KEY)
        .subAccountId("acme-otp")
        .baseUrl(URI.create("http://127.0.0.1:9"))
        .build();
  }

  static boolean dispatcherAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("sms-feedback-reporter") && t.isAlive());
  }

  @Test
  void create_startsOwnDaemonDispatcher_andCloseStopsIt() {
    FeedbackReporter reporter =
        FeedbackReporter.create(settings().toBuilder().shutdownTimeout(Duration.ofMillis(200)).build());
    Feedback f =
        new Feedback(
            new SentOtp("acme-otp", UUID.randomUUID(), Instant.now()), Outcome.SUCCESS, Instant.now());
    reporter.report(f); // port 9 on loopback: refused, retried until close
    await().atMost(Duration.ofSeconds(5)).until(() -> reporter.stats().attempts() >= 1);
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals("sms-feedback-reporter"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
    assertThat(reporter.toString()).doesNotContain(KEY).contains("****WXYZ");

    long start = System.nanoTime();
    reporter.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

    Accounting.assertBalanced(reporter.stats());
    assertThat(reporter.stats().queued() + reporter.stats().inFlight()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> !dispatcherAlive());
  }

  @Test
  void builder_deliversThroughTheGivenTransport_onARealThread() throws Exception {
    FakeTransport transport = new FakeTransport(Clock.systemUTC());
    transport.autoAnswer(f -> TransportResult.delivered(200));
    try (FeedbackReporter reporter = FeedbackReporter.builder(settings()).transport(transport).build()) {
      for (int i = 0; i < 100; i++) {
        reporter.report(
            new Feedback(
                new SentOtp("acme-otp", UUID.randomUUID(), Instant.now()),
                Outcome.FAILURE,
                Instant.now()));
      }
      assertThat(reporter.flush(Duration.ofSeconds(5))).isTrue();
      ReporterStats s = Accounting.assertBalanced(reporter.stats());
      assertThat(s.delivered()).isEqualTo(100);
    }
    assertThat(transport.closed()).isTrue();
  }

  @Test
  void close_fromAListenerOnTheDispatcher_doesNotBlockIt() {
    FakeTransport transport = new FakeTransport(Clock.systemUTC());
    transport.autoAnswer(f -> TransportResult.delivered(200));
    FeedbackReporter[] holder = new FeedbackReporter[1];
    java.util.concurrent.atomic.AtomicLong closeTookNanos = new java.util.concurrent.atomic.AtomicLong(-1);
    FeedbackListener closer =
        new FeedbackListener() {
          @Override
          public void onTerminal(DeliveryEvent event) {
            long start = System.nanoTime();
            holder[0].close();
            closeTookNanos.compareAndSet(-1, System.nanoTime() - start);
          }
        };
    holder[0] = FeedbackReporter.builder(settings()).transport(transport).addListener(closer).build();
    holder[0].report(
        new Feedback(
            new SentOtp("acme-otp", UUID.randomUUID(), Instant.now()), Outcome.SUCCESS, Instant.now()));

    await().atMost(Duration.ofSeconds(5)).until(() -> closeTookNanos.get() >= 0);
    assertThat(Duration.ofNanos(closeTookNanos.get())).isLessThan(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(5)).until(transport::closed);
    Accounting.assertBalanced(holder[0].stats());
  }
}
