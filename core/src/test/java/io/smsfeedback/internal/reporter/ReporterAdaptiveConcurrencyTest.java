package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.TransportResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter's in-flight limit adapts to the answers: grows while a backlog waits, halves on
 * overload, never past {@code max-concurrent-requests}. Manual clock and scheduler, fake transport.
 */
class ReporterAdaptiveConcurrencyTest {

  private static final TransportResult OK = TransportResult.delivered(200);
  private static final TransportResult UNAVAILABLE = TransportResult.ofStatus(503);
  private static final TransportResult RATE_LIMITED =
      TransportResult.ofStatus(429, Duration.ofSeconds(1), null, null, null);

  private ReporterHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.reporter.close();
    }
  }

  private void backlog(int n) {
    for (int i = 0; i < n; i++) {
      h.reporter.report(h.feedback());
    }
    h.step();
  }

  /** Answers the oldest attempt {@code n} times, letting the dispatcher run after each. */
  private void answer(int n, TransportResult result) {
    for (int i = 0; i < n; i++) {
      h.transport.completeOldest(result);
      h.step();
      assertThat(h.transport.pending().size())
          .isLessThanOrEqualTo(h.settings.maxConcurrentRequests());
    }
  }

  @Test
  void withABacklog_healthyAnswersGrowTheRequestsInFlight_upToTheCeiling() {
    h = new ReporterHarness(b -> b.maxConcurrentRequests(64).shutdownTimeout(Duration.ZERO));
    backlog(1000);
    assertThat(h.transport.pending()).hasSize(16);

    answer(16, OK);
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(32);
    assertThat(h.transport.pending()).hasSize(32);

    answer(200, OK);
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(64);
    assertThat(h.transport.pending()).hasSize(64);
    assertThat(h.balanced().delivered()).isEqualTo(216);
  }

  @Test
  void withoutABacklog_theRequestsInFlightDoNotGrow() {
    h = new ReporterHarness(b -> b.maxConcurrentRequests(64).shutdownTimeout(Duration.ZERO));
    for (int i = 0; i < 100; i++) {
      backlog(1);
      answer(1, OK);
    }
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(16);
    assertThat(h.balanced().delivered()).isEqualTo(100);
  }

  @Test
  void overloadAnswers_halveTheRequestsInFlight_oncePerWindow() {
    h = new ReporterHarness(b -> b.maxConcurrentRequests(64).shutdownTimeout(Duration.ZERO));
    backlog(1000);
    answer(48, OK);
    assertThat(h.transport.pending()).hasSize(64);
    int sent = h.transport.sendCount();

    answer(1, UNAVAILABLE);
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(32);
    answer(31, UNAVAILABLE); // the same window: no further halving
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(32);
    assertThat(h.transport.sendCount()).as("no new attempt while above the limit").isEqualTo(sent);
    assertThat(h.transport.pending()).hasSize(32);

    answer(20, UNAVAILABLE); // at the limit: a failed slot is refilled (retries wait for backoff)
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(32);
    assertThat(h.transport.pending()).hasSize(32);
    assertThat(h.transport.sendCount()).isEqualTo(sent + 20);
    h.balanced();
  }

  @Test
  void timeouts_halveTheRequestsInFlight() {
    h =
        new ReporterHarness(
            b ->
                b.maxConcurrentRequests(64)
                    .shutdownTimeout(Duration.ZERO)
                    .connectTimeout(Duration.ofSeconds(1))
                    .responseTimeout(Duration.ofSeconds(1)));
    backlog(1000);
    answer(48, OK);
    assertThat(h.transport.pending()).hasSize(64);

    // every attempt's guard fires (2s timeout + 1s slack): one window, one halving; their retries
    // wait for a backoff of at least 0.5s, so fresh ones take the 32 slots
    h.advance(Duration.ofMillis(3100));
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(32);
    assertThat(h.transport.pending()).hasSize(32);
    h.balanced();
  }

  @Test
  void healthyAnswersDuringARetryAfterPause_countTheBacklogThePauseHoldsBack() {
    h = new ReporterHarness(b -> b.maxConcurrentRequests(64).shutdownTimeout(Duration.ZERO));
    backlog(1000);
    assertThat(h.transport.pending()).hasSize(16);

    answer(1, RATE_LIMITED); // pauses every new attempt for 1 s; no halving
    int sent = h.transport.sendCount();
    answer(15, OK); // the rest of the window answers while the backlog waits out the pause
    assertThat(h.transport.sendCount()).as("nothing starts during the pause").isEqualTo(sent);
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(16 + 15);

    h.advance(Duration.ofSeconds(1));
    assertThat(h.transport.pending()).hasSize(31);
    h.balanced();
  }

  @Test
  void answersThatArriveTogether_areTakenByOneDispatcherTask() {
    h = new ReporterHarness(b -> b.maxConcurrentRequests(64).shutdownTimeout(Duration.ZERO));
    backlog(1000);
    int pendingBefore = h.scheduler.pending();
    for (int i = 0; i < 10; i++) {
      h.transport.completeOldest(OK); // the I/O thread answers ten before the dispatcher runs
    }
    assertThat(h.scheduler.pending()).as("one task for the ten").isEqualTo(pendingBefore + 1);
    h.scheduler.runDue();
    assertThat(h.balanced().delivered()).isEqualTo(10);
    assertThat(h.reporter.concurrencyLimit()).isEqualTo(26); // each answer counted
    assertThat(h.transport.pending()).hasSize(26);
  }
}
