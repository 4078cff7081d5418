package io.smsfeedback.internal.reporter;

import static io.smsfeedback.internal.reporter.DefaultFeedbackReporter.GUARD_SLACK;
import static io.smsfeedback.internal.reporter.DefaultFeedbackReporter.MIN_ATTEMPT_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryEvent.DropReason;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.FakeTransport.Send;
import io.smsfeedback.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DefaultFeedbackReporterTest {

  static final TransportResult OK = TransportResult.delivered(200);
  static final TransportResult UNAVAILABLE = TransportResult.ofStatus(503);
  static final TransportResult BAD_REQUEST =
      TransportResult.ofStatus(400, null, 1000, "0f9a1f7e-0000-4000-8000-000000000000", "bad umid");
  static final TransportResult UNAUTHORIZED = TransportResult.ofStatus(401);

  static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }

  static Duration s(long s) {
    return Duration.ofSeconds(s);
  }

  ReporterHarness h = new ReporterHarness();

  @AfterEach
  void accountingHolds() {
    h.balanced();
  }

  @Nested
  class Delivery {

    @Test
    void report_deliversOnTheDispatcherNotOnTheCallingThread() {
      Feedback f = h.feedback();

      assertThat(h.reporter.report(f)).isTrue();
      assertThat(h.transport.sendCount()).as("nothing sent before the dispatcher runs").isZero();
      assertThat(h.stats().queued()).isEqualTo(1);
      h.balanced();

      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(1);
      assertThat(h.transport.last().feedback()).isEqualTo(f);
      assertThat(h.stats().inFlight()).isEqualTo(1);
      h.balanced();

      h.advance(ms(250));
      h.transport.completeOldest(OK);
      h.step();

      ReporterStats s = h.balanced();
      assertThat(s.delivered()).isEqualTo(1);
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.retries()).isZero();
      assertThat(s.lastError()).isNull();
      DeliveryEvent e = h.listener.terminals.get(0);
      assertThat(e.state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lastStatus()).isEqualTo(200);
      assertThat(e.latency()).as("from the user's action to 8x8's answer").isEqualTo(ms(250));
      assertThat(h.listener.attempts).singleElement().satisfies(a -> {
        assertThat(a.statusClass()).isEqualTo("2xx");
        assertThat(a.duration()).isEqualTo(ms(250));
        assertThat(a.attempt()).isEqualTo(1);
      });
    }

    @Test
    void send_timeoutIsConnectPlusResponseTimeoutWhenTimeIsPlenty() {
      h.report(h.feedback());

      assertThat(h.transport.last().timeout())
          .isEqualTo(h.settings.connectTimeout().plus(h.settings.responseTimeout()));
      h.transport.completeOldest(OK);
      h.step();
    }

    @Test
    void rejected_isTerminalAndNotRetried() {
      h.report(h.feedback());
      h.transport.completeOldest(BAD_REQUEST);
      h.step();
      h.advance(Duration.ofMinutes(20));

      ReporterStats s = h.balanced();
      assertThat(s.rejected()).isEqualTo(1);
      assertThat(h.transport.sendCount()).isEqualTo(1);
      assertThat(s.lastError()).isEqualTo("HTTP 400 (code 1000)");
      assertThat(s.lastErrorAt()).isEqualTo(h.now().minus(Duration.ofMinutes(20)));
      assertThat(s.authFailing()).isFalse();
      assertThat(h.listener.terminals.get(0).state()).isEqualTo(DeliveryState.REJECTED);
      assertThat(h.listener.terminals.get(0).lastResult()).isEqualTo(BAD_REQUEST);
    }

    @Test
    void inFlight_neverExceedsMaxConcurrentRequests() {
      h = new ReporterHarness(b -> b.maxConcurrentRequests(2));
      for (int i = 0; i < 5; i++) {
        h.reporter.report(h.feedback());
      }
      h.step();

      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.stats().inFlight()).isEqualTo(2);
      assertThat(h.stats().queued()).isEqualTo(3);
      h.balanced();

      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(3);
      assertThat(h.transport.pending()).hasSize(2);

      h.transport.completeOldest(UNAVAILABLE);
      h.step();
      assertThat(h.transport.pending()).as("a failed slot is reused at once").hasSize(2);
      assertThat(h.transport.sendCount()).isEqualTo(4);
      h.balanced();

      for (int i = 0; i < 10 && !h.transport.pending().isEmpty(); i++) {
        h.transport.completeOldest(OK);
        h.advance(s(1));
        assertThat(h.transport.pending().size()).isLessThanOrEqualTo(2);
      }
      assertThat(h.stats().delivered()).isEqualTo(5);
    }

    @Test
    void backlog_drainsEarliestDeadlineFirst() {
      h = new ReporterHarness(b -> b.maxConcurrentRequests(1));
      h.report(h.feedbackWithTimeLeft(Duration.ofMinutes(15))); // occupies the only slot
      Feedback late = h.feedbackWithTimeLeft(Duration.ofMinutes(12));
      Feedback early = h.feedbackWithTimeLeft(Duration.ofMinutes(3));
      Feedback middle = h.feedbackWithTimeLeft(Duration.ofMinutes(7));
      h.reporter.report(late);
      h.reporter.report(early);
      h.reporter.report(middle);
      h.step();

      for (int i = 0; i < 3; i++) {
        h.transport.completeOldest(OK);
        h.step();
      }
      h.transport.completeOldest(OK);
      h.step();

      assertThat(h.transport.sends().stream().skip(1).map(Send::feedback))
          .containsExactly(early, middle, late);
      assertThat(h.balanced().delivered()).isEqualTo(4);
    }

    @Test
    void retries_alsoGoEarliestDeadlineFirst() {
      h = new ReporterHarness(b -> b.maxConcurrentRequests(1));
      Feedback early = h.feedbackWithTimeLeft(Duration.ofMinutes(5));
      Feedback late = h.feedbackWithTimeLeft(Duration.ofMinutes(10));
      h.reporter.report(late);
      h.reporter.report(early);
      h.step();
      assertThat(h.transport.last().feedback()).isEqualTo(early);
      h.jitterValues.addAll(List.of(0.9, 0.1)); // early waits 900ms, late 100ms
      h.transport.completeOldest(UNAVAILABLE);
      h.step();
      h.transport.completeOldest(UNAVAILABLE);
      h.step();
      h.report(h.feedbackWithTimeLeft(Duration.ofMinutes(15))); // takes the free slot
      h.advance(s(1)); // both retries are due now; late has been ready longer

      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.transport.last().feedback()).isEqualTo(early);
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.transport.last().feedback()).isEqualTo(late);
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(3);
    }

    @Test
    void transportThatThrows_isTreatedAsRetryable() {
      h.transport.throwOnSend(new IllegalStateException("bug in a custom transport"));
      h.report(h.feedback());
      ReporterStats s = h.balanced();
      assertThat(s.queued()).as("waiting for its retry").isEqualTo(1);
      assertThat(s.lastError()).isEqualTo("IllegalStateException");

      h.transport.throwOnSend(null);
      h.advance(s(1));
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }

    @Test
    void transportFutureFailingExceptionally_isTreatedAsRetryable() {
      h.report(h.feedback());
      h.transport.last().future().completeExceptionally(new java.io.IOException("boom"));
      h.step();
      assertThat(h.stats().lastError()).isEqualTo("IOException");
      h.advance(s(1));
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }
  }

  @Nested
  class Backoff {

    @Test
    void retries_followExponentialBackoffWithFullJitter() {
      // initial 1s, max 8s, jitter 0.5: caps 1,2,4,8,8,8 -> delays 0.5,1,2,4,4,4
      h.report(h.feedback());
      List<Duration> expected = List.of(ms(500), s(1), s(2), s(4), s(4), s(4));
      for (Duration delay : expected) {
        Instant failedAt = h.now();
        int before = h.transport.sendCount();
        h.transport.completeOldest(UNAVAILABLE);
        h.step();
        h.advance(delay.minusNanos(1));
        assertThat(h.transport.sendCount()).as("not before %s", delay).isEqualTo(before);
        h.advance(Duration.ofNanos(1));
        assertThat(h.transport.sendCount()).as("retried after %s", delay).isEqualTo(before + 1);
        assertThat(h.transport.last().at()).isEqualTo(failedAt.plus(delay));
        h.balanced();
      }
      h.transport.completeOldest(OK);
      h.step();
      ReporterStats s = h.balanced();
      assertThat(s.delivered()).isEqualTo(1);
      assertThat(s.attempts()).isEqualTo(7);
      assertThat(s.retries()).isEqualTo(6);
      assertThat(h.listener.terminals.get(0).attempts()).isEqualTo(7);
      assertThat(h.listener.attempts).extracting(AttemptEvent::attempt)
          .containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void retries_drawAFreshJitterValueEachTime() {
      h.jitterValues.addAll(List.of(0.25, 0.75, 0.0));
      h.report(h.feedback());
      Instant t0 = h.now();
      h.transport.completeOldest(UNAVAILABLE);
      h.advance(s(5));
      h.transport.completeOldest(UNAVAILABLE);
      h.advance(s(5));
      h.transport.completeOldest(UNAVAILABLE);
      h.step(); // jitter 0: retried at once
      h.transport.completeOldest(OK);
      h.step();

      assertThat(h.transport.sends()).extracting(Send::at)
          .containsExactly(
              t0,
              t0.plus(ms(250)), // 0.25 * 1s
              t0.plus(s(5)).plus(ms(1500)), // 0.75 * 2s
              t0.plus(s(10)));
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }

    @Test
    void ioErrors_408_429_andRetryable5xx_areRetried() {
      List<TransportResult> failures =
          List.of(
              TransportResult.ioError("ConnectException"),
              TransportResult.ofStatus(408),
              TransportResult.ofStatus(429),
              TransportResult.ofStatus(500),
              TransportResult.ofStatus(502),
              TransportResult.ofStatus(503),
              TransportResult.ofStatus(504));
      h.jitter = 0;
      h.report(h.feedback());
      for (TransportResult r : failures) {
        h.transport.completeOldest(r);
        h.step();
        assertThat(h.stats().lastError()).isEqualTo(r.describe());
      }
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(failures.size() + 1);
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }
  }

  @Nested
  class RetryAfter {

    TransportResult unavailableFor(String retryAfter) {
      return TransportResult.ofStatus(
          503, TransportResult.parseRetryAfter(retryAfter, h.now()), null, null, null);
    }

    @Test
    void retryAfterInSeconds_replacesTheBackoff() {
      h.report(h.feedback());
      Instant failedAt = h.now();
      h.transport.completeOldest(unavailableFor("30"));
      h.step();
      assertThat(h.reporter.pausedUntil()).isEqualTo(failedAt.plus(s(30)));

      h.advance(s(30).minusNanos(1));
      assertThat(h.transport.sendCount()).as("no retry at the 500ms backoff").isEqualTo(1);
      h.advance(Duration.ofNanos(1));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.transport.last().at()).isEqualTo(failedAt.plus(s(30)));
      assertThat(h.reporter.pausedUntil()).isNull();
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }

    @Test
    void retryAfterAsHttpDate_replacesTheBackoff() {
      assertThat(h.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z")); // a Thursday
      h.report(h.feedback());
      h.transport.completeOldest(
          TransportResult.ofStatus(
              429,
              TransportResult.parseRetryAfter("Thu, 01 Jan 2026 00:00:20 GMT", h.now()),
              null,
              null,
              null));
      h.step();

      h.advance(s(20).minusNanos(1));
      assertThat(h.transport.sendCount()).isEqualTo(1);
      h.advance(Duration.ofNanos(1));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.transport.last().at()).isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
      h.transport.completeOldest(OK);
      h.step();
    }

    @Test
    void malformedRetryAfter_fallsBackToTheBackoff() {
      h.report(h.feedback());
      Instant failedAt = h.now();
      h.transport.completeOldest(unavailableFor("in a while"));
      h.step();
      assertThat(h.reporter.pausedUntil()).isNull();

      h.advance(ms(500));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.transport.last().at()).isEqualTo(failedAt.plus(ms(500)));
      h.transport.completeOldest(OK);
      h.step();
    }

    @Test
    void retryAfter_pausesEveryNewAttemptUntilThen() {
      h.report(h.feedback());
      h.report(h.feedback());
      Instant t0 = h.now();
      h.transport.complete(0, unavailableFor("10"));
      h.step();

      h.reporter.report(h.feedback());
      h.step();
      assertThat(h.transport.sendCount()).as("a new feedback waits for the pause").isEqualTo(2);
      h.transport.complete(1, UNAVAILABLE); // its own backoff (500ms) ends inside the pause
      h.advance(s(5));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.stats().queued()).isEqualTo(3);
      h.balanced();

      h.advance(s(5));
      assertThat(h.transport.sendCount()).isEqualTo(5);
      assertThat(h.transport.sends().stream().skip(2).map(Send::at)).containsOnly(t0.plus(s(10)));
      h.transport.pending().forEach(p -> p.future().complete(OK));
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(3);
    }

    @Test
    void retryAfter_doesNotStopAnswersOfAttemptsAlreadyInFlight() {
      h.report(h.feedback());
      h.report(h.feedback());
      h.transport.complete(0, unavailableFor("60"));
      h.step();
      h.transport.complete(1, OK);
      h.step();
      assertThat(h.stats().delivered()).isEqualTo(1);
      h.advance(s(60));
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(2);
    }

    @Test
    void retryAfterPastTheDeadline_expiresTheFeedbackAtItsDeadline() {
      h.report(h.feedbackWithTimeLeft(s(30)));
      h.transport.completeOldest(unavailableFor("120"));
      h.step();
      h.advance(s(30).minus(MIN_ATTEMPT_TIME).minusNanos(1));
      assertThat(h.stats().queued()).isEqualTo(1);
      h.advance(Duration.ofNanos(1));
      assertThat(h.balanced().expired()).isEqualTo(1);
      h.advance(s(120));
      assertThat(h.transport.sendCount()).isEqualTo(1);
    }
  }

  @Nested
  class Deadline {

    @Test
    void attemptTimeout_isCappedByTheTimeLeft() {
      h.report(h.feedbackWithTimeLeft(s(3)));
      assertThat(h.transport.last().timeout()).isEqualTo(s(3));

      h.advance(s(1));
      h.transport.completeOldest(UNAVAILABLE);
      h.step();
      h.advance(ms(500));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.transport.last().timeout()).isEqualTo(ms(1500));
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }

    @Test
    void waitingFeedback_expiresWhenItsDeadlineComes_andIsNeverSentAgain() {
      h.jitter = 0.999; // backoff ~1s, ~2s, ~4s ...
      Feedback f = h.feedbackWithTimeLeft(s(5));
      Instant deadline = f.deadline(h.settings.validity());
      h.report(f);
      for (int i = 0; i < 20 && !h.transport.pending().isEmpty(); i++) {
        h.transport.completeOldest(UNAVAILABLE);
        h.advance(ms(100));
        while (h.transport.pending().isEmpty() && h.stats().queued() > 0) {
          h.advance(ms(100));
        }
      }
      ReporterStats s = h.balanced();
      assertThat(s.expired()).isEqualTo(1);
      assertThat(h.transport.sends()).allSatisfy(send -> {
        assertThat(send.at()).isBefore(deadline);
        assertThat(send.at().plus(send.timeout())).isBeforeOrEqualTo(deadline);
      });
      DeliveryEvent e = h.listener.terminals.get(0);
      assertThat(e.state()).isEqualTo(DeliveryState.EXPIRED);
      assertThat(e.attempts()).isEqualTo(h.transport.sendCount());
      assertThat(e.lastStatus()).isEqualTo(503);
      assertThat(e.latency()).isNull();
      assertThat(e.at()).isEqualTo(deadline.minus(MIN_ATTEMPT_TIME));
      h.advance(Duration.ofMinutes(30));
      assertThat(h.transport.sendCount()).isEqualTo(e.attempts());
    }

    @Test
    void readyFeedback_blockedByTheInFlightLimit_expiresAtItsDeadline() {
      h = new ReporterHarness(b -> b.maxConcurrentRequests(1));
      h.report(h.feedback()); // hangs in flight
      h.report(h.feedbackWithTimeLeft(s(2)));
      h.advance(s(2).minus(MIN_ATTEMPT_TIME).minusNanos(1));
      assertThat(h.stats().queued()).isEqualTo(1);
      h.advance(Duration.ofNanos(1));
      ReporterStats s = h.balanced();
      assertThat(s.expired()).isEqualTo(1);
      assertThat(s.queued()).isZero();
      assertThat(h.transport.sendCount()).isEqualTo(1);
      h.transport.completeOldest(OK);
      h.step();
    }

    @Test
    void hungAttempt_isAbandonedAfterItsTimeout_andExpiresAtTheDeadline() {
      h.report(h.feedbackWithTimeLeft(s(3)));
      CompletableFuture<TransportResult> hung = h.transport.last().future();

      h.advance(s(3).plus(GUARD_SLACK).minusNanos(1));
      assertThat(h.stats().inFlight()).isEqualTo(1);
      h.advance(Duration.ofNanos(1));

      ReporterStats s = h.balanced();
      assertThat(s.expired()).isEqualTo(1);
      assertThat(s.lastError()).isEqualTo("timeout");
      assertThat(hung).as("the reporter cancels what it stopped waiting for").isCancelled();
      assertThat(h.transport.sendCount()).isEqualTo(1);
    }

    @Test
    void hungAttempt_isRetriedWhenTimeIsLeft() {
      h.transport.ignoreCancel(true);
      h.report(h.feedback());
      h.advance(s(7).plus(GUARD_SLACK));
      assertThat(h.stats().lastError()).isEqualTo("timeout");
      h.advance(ms(500));
      assertThat(h.transport.sendCount()).isEqualTo(2);
      assertThat(h.transport.send(0).future().cancelRequested()).isTrue();
      h.transport.send(0).future().complete(OK); // a late answer to the abandoned attempt
      h.step();
      assertThat(h.stats().delivered()).as("a stale answer is ignored").isZero();
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }

    @Test
    void report_withAlmostNoTimeLeft_expiresAtOnceAndSendsNothing() {
      assertThat(h.reporter.report(h.feedbackWithTimeLeft(MIN_ATTEMPT_TIME))).isFalse();
      assertThat(h.reporter.report(h.feedbackWithTimeLeft(Duration.ofMinutes(-5)))).isFalse();
      h.step();
      ReporterStats s = h.balanced();
      assertThat(s.accepted()).isEqualTo(2);
      assertThat(s.expired()).isEqualTo(2);
      assertThat(h.transport.sendCount()).isZero();
      assertThat(h.listener.terminals(DeliveryState.EXPIRED)).hasSize(2);
    }

    @Test
    void report_withJustEnoughTimeLeft_isSent() {
      assertThat(h.report(h.feedbackWithTimeLeft(MIN_ATTEMPT_TIME.plusMillis(1)))).isTrue();
      assertThat(h.transport.last().timeout()).isEqualTo(MIN_ATTEMPT_TIME.plusMillis(1));
      h.transport.completeOldest(OK);
      h.step();
    }

    @Test
    void answerAfterTheDeadline_stillCountsWhenDelivered() {
      h.report(h.feedbackWithTimeLeft(s(2)));
      h.advance(ms(2500)); // the transport is late, but within the guard
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().delivered()).isEqualTo(1);
    }
  }

  @Nested
  class Waking {

    @Test
    void aBurstOfReports_wakesTheDispatcherOnce() {
      h.reporter.report(h.feedback());
      assertThat(h.scheduler.pending()).as("the first report wakes the dispatcher").isEqualTo(1);
      h.reporter.report(h.feedback());
      h.reporter.report(h.feedback());
      assertThat(h.scheduler.pending()).as("the others find a drain scheduled").isEqualTo(1);

      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(3);
      assertThat(h.scheduler.pending()).as("only the attempts' guards").isEqualTo(3);

      h.reporter.report(h.feedback());
      assertThat(h.scheduler.pending()).as("drained: the next report wakes it again").isEqualTo(4);
      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(4);
    }

    @Test
    void aReportWhileADrainIsFinishing_isTakenByThatDrain_notLeftWaiting() {
      Feedback second = h.feedback();
      // the drain took its arrivals and is sending, its flag still set: this report wakes nobody
      h.transport.duringNextSend(() -> assertThat(h.reporter.report(second)).isTrue());
      h.reporter.report(h.feedback());

      h.step();

      assertThat(h.transport.sendCount()).as("the drain looked again before it stopped").isEqualTo(2);
      assertThat(h.transport.last().feedback()).isEqualTo(second);
    }

    @Test
    void lingering_reportsWithinTheLingerTimeWakeNobody_andGoOutAtTheNextLook() {
      h = ReporterHarness.lingering(ms(10));
      h.transport.autoAnswer(f -> OK);

      h.report(h.feedback());
      assertThat(h.transport.sendCount()).isEqualTo(1);
      assertThat(h.scheduler.nextDue()).as("looks again in 10 ms").isEqualTo(h.now().plus(ms(10)));

      h.report(h.feedback());
      h.report(h.feedback());
      assertThat(h.scheduler.pending()).as("no wake-up").isEqualTo(1);
      assertThat(h.transport.sendCount()).isEqualTo(1);

      h.advance(ms(10));
      assertThat(h.transport.sendCount()).isEqualTo(3);
      assertThat(h.scheduler.pending()).as("found some: looks once more").isEqualTo(1);

      h.advance(ms(10));
      assertThat(h.scheduler.pending()).as("found none: parked, no timer").isZero();

      h.reporter.report(h.feedback());
      assertThat(h.scheduler.pending()).as("so the next report wakes it").isEqualTo(1);
      h.step();
      assertThat(h.transport.sendCount()).isEqualTo(4);
      assertThat(h.balanced().delivered()).isEqualTo(4);
    }

    @Test
    void lingering_stillClosesAndFlushesExactly() {
      h = ReporterHarness.lingering(ms(10));
      h.transport.autoAnswer(f -> OK);
      h.report(h.feedback());
      h.reporter.report(h.feedback()); // waits for the next look
      assertThat(h.reporter.flush(Duration.ZERO)).as("not yet sent").isFalse();

      CompletableFuture<Void> closed = h.reporter.closeAsync();
      h.step();

      assertThat(closed).as("close takes the arrivals in and delivers them").isCompleted();
      assertThat(h.reporter.flush(Duration.ZERO)).isTrue();
      assertThat(h.balanced().delivered()).isEqualTo(2);
      assertThat(h.scheduler.pending()).isZero();
    }
  }

  @Nested
  class Intake {

    @Test
    void report_dropsNewestWhenQueueFull() {
      h = new ReporterHarness(b -> b.queueCapacity(2).maxConcurrentRequests(1));
      Feedback first = h.feedback();
      Feedback second = h.feedback();
      Feedback third = h.feedback();

      assertThat(h.reporter.report(first)).isTrue();
      assertThat(h.reporter.report(second)).isTrue();
      assertThat(h.reporter.report(third)).isFalse();

      ReporterStats s = h.balanced();
      assertThat(s.accepted()).isEqualTo(3);
      assertThat(s.droppedQueueFull()).isEqualTo(1);
      assertThat(s.queued()).isEqualTo(2);
      DeliveryEvent dropped = h.listener.terminals.get(0);
      assertThat(dropped.feedback()).isEqualTo(third);
      assertThat(dropped.state()).isEqualTo(DeliveryState.DROPPED);
      assertThat(dropped.dropReason()).isEqualTo(DropReason.QUEUE_FULL);

      h.step(); // first goes in flight: room for one more
      assertThat(h.reporter.report(third)).as("a dropped umid may be offered again").isTrue();
      for (int i = 0; i < 3; i++) {
        h.transport.completeOldest(OK);
        h.step();
      }
      assertThat(h.transport.sends()).extracting(Send::feedback)
          .containsExactly(first, second, third);
      assertThat(h.balanced().delivered()).isEqualTo(3);
    }

    @Test
    void report_refusesASecondFeedbackForTheSameUmid() {
      Feedback f = h.feedback();
      Feedback other =
          new Feedback(f.otp(), io.smsfeedback.Outcome.FAILURE, f.actedAt().plusSeconds(1));

      assertThat(h.reporter.report(f)).isTrue();
      assertThat(h.reporter.report(other)).isFalse();
      h.step();
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.reporter.report(f)).as("also once delivered").isFalse();

      ReporterStats s = h.balanced();
      assertThat(s.duplicates()).isEqualTo(2);
      assertThat(s.accepted()).isEqualTo(1);
      assertThat(h.transport.sends()).singleElement()
          .satisfies(send -> assertThat(send.feedback()).isEqualTo(f));
    }

    @Test
    void duplicateMemory_endsAtTheDeadline() {
      Feedback f = h.feedbackWithTimeLeft(s(60));
      h.report(f);
      h.transport.completeOldest(OK);
      h.step();
      h.advance(s(59));
      assertThat(h.reporter.report(f)).isFalse();
      assertThat(h.stats().duplicates()).isEqualTo(1);

      h.advance(s(1));
      assertThat(h.reporter.report(f)).isFalse();
      ReporterStats s = h.balanced();
      assertThat(s.duplicates()).as("forgotten: now simply too late").isEqualTo(1);
      assertThat(s.expired()).isEqualTo(1);
    }

    @Test
    void report_neverThrows_evenForNull() {
      assertThat(h.reporter.report(null)).isFalse();
      assertThat(h.balanced().accepted()).isZero();
    }

    @Test
    void flush_reportsWhetherEverythingFinished() {
      assertThat(h.reporter.flush(Duration.ZERO)).isTrue();
      h.report(h.feedback());
      assertThat(h.reporter.flush(ms(1))).isFalse();
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.reporter.flush(Duration.ZERO)).isTrue();
    }
  }

  @Nested
  class Shutdown {

    @Test
    void close_whileBusy_deliversWhatItCanWithinShutdownTimeout_thenDropsTheRest() {
      h = new ReporterHarness(b -> b.maxConcurrentRequests(1).shutdownTimeout(s(5)));
      Feedback a = h.feedback();
      Feedback b = h.feedback();
      Feedback c = h.feedback();
      h.report(a);
      h.report(b);
      h.report(c);

      CompletableFuture<Void> closed = h.reporter.closeAsync();
      assertThat(closed).isNotDone();
      assertThat(h.reporter.report(h.feedback())).as("intake stopped").isFalse();

      h.advance(s(1));
      h.transport.completeOldest(OK); // a delivered during shutdown
      h.step();
      assertThat(h.transport.last().feedback()).isEqualTo(b);
      assertThat(h.transport.last().timeout())
          .as("capped by the time left before the shutdown timeout")
          .isEqualTo(s(4));
      CompletableFuture<TransportResult> bInFlight = h.transport.last().future();

      h.advance(s(4).minusNanos(1));
      assertThat(closed).isNotDone();
      h.advance(Duration.ofNanos(1));

      assertThat(closed).isCompleted();
      assertThat(bInFlight).as("in-flight attempt cancelled").isCancelled();
      assertThat(h.transport.closed()).isTrue();
      ReporterStats s = h.balanced();
      assertThat(s.delivered()).isEqualTo(1);
      assertThat(s.droppedShutdown()).as("b in flight, c queued, one after close").isEqualTo(3);
      assertThat(s.queued() + s.inFlight()).isZero();
      assertThat(h.listener.terminals(DeliveryState.DROPPED))
          .extracting(DeliveryEvent::dropReason)
          .containsOnly(DropReason.SHUTDOWN);
      assertThat(h.scheduler.pending()).as("no timer left behind").isZero();
    }

    @Test
    void close_finishesEarlyWhenEverythingIsDelivered() {
      h.report(h.feedback());
      CompletableFuture<Void> closed = h.reporter.closeAsync();
      h.advance(ms(300));
      assertThat(closed).isNotDone();
      h.transport.completeOldest(OK);
      h.step();
      assertThat(closed).isCompleted();
      assertThat(h.transport.closed()).isTrue();
      assertThat(h.balanced().delivered()).isEqualTo(1);
      assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void close_whenIdle_returnsAtOnce_andIsIdempotent() {
      h.reporter.close();
      h.reporter.close();
      assertThat(h.reporter.closeAsync()).isCompleted();
      assertThat(h.transport.closed()).isTrue();
      assertThat(h.reporter.toString()).contains("state=CLOSED");
    }

    @Test
    void report_afterClose_isRefusedAndCountedAsDroppedShutdown() {
      h.reporter.close();
      Feedback f = h.feedback();

      assertThat(h.reporter.report(f)).isFalse();
      h.step();

      ReporterStats s = h.balanced();
      assertThat(s.accepted()).isEqualTo(1);
      assertThat(s.droppedShutdown()).isEqualTo(1);
      assertThat(h.transport.sendCount()).isZero();
      assertThat(h.listener.terminals).singleElement().satisfies(e -> {
        assertThat(e.feedback()).isEqualTo(f);
        assertThat(e.dropReason()).isEqualTo(DropReason.SHUTDOWN);
      });
    }

    @Test
    void close_withZeroShutdownTimeout_dropsEverythingAtOnce() {
      h = new ReporterHarness(b -> b.shutdownTimeout(Duration.ZERO));
      h.report(h.feedback());
      h.reporter.report(h.feedback());
      assertThat(h.reporter.closeAsync()).isCompleted();
      ReporterStats s = h.balanced();
      assertThat(s.droppedShutdown()).isEqualTo(2);
      assertThat(h.transport.send(0).future()).isCancelled();
    }

    @Test
    void close_returnsWithinShutdownTimeoutEvenIfTheDispatcherNeverRuns() {
      h = new ReporterHarness(b -> b.shutdownTimeout(ms(100)));
      h.report(h.feedback()); // hangs in flight; nobody advances the manual scheduler
      h.reporter.report(h.feedback());

      long start = System.nanoTime();
      h.reporter.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(ms(100).plus(DefaultFeedbackReporter.CLOSE_SLACK).plusSeconds(1));
      ReporterStats s = h.balanced();
      assertThat(s.droppedShutdown()).isEqualTo(2);
      assertThat(h.transport.closed()).isTrue();
    }

    @Test
    void lateAnswer_afterShutdownDroppedTheFeedback_isIgnored() {
      h = new ReporterHarness(b -> b.shutdownTimeout(s(1)));
      h.transport.ignoreCancel(true);
      h.report(h.feedback());
      h.reporter.closeAsync();
      h.advance(s(1));
      assertThat(h.transport.last().future().cancelRequested()).isTrue();
      h.transport.completeOldest(OK); // a transport that answers despite the cancel
      h.step();
      ReporterStats s = h.balanced();
      assertThat(s.delivered()).isZero();
      assertThat(s.droppedShutdown()).isEqualTo(1);
    }
  }

  @Nested
  class Listeners {

    @Test
    void listener_seesEveryTerminalStateExactlyOnce() {
      h = new ReporterHarness(b -> b.queueCapacity(3).shutdownTimeout(s(1)));
      Feedback delivered = h.feedback();
      Feedback rejected = h.feedback();
      Feedback expired = h.feedbackWithTimeLeft(s(2));
      h.reporter.report(delivered);
      h.reporter.report(rejected);
      h.reporter.report(expired);
      Feedback full = h.feedback();
      h.reporter.report(full); // queue full
      h.step();
      h.transport.lastFor(delivered).future().complete(OK);
      h.transport.lastFor(rejected).future().complete(BAD_REQUEST);
      h.transport.lastFor(expired).future()
          .complete(TransportResult.ofStatus(429, Duration.ofSeconds(60), null, null, null));
      h.step();
      h.advance(s(10)); // expired's Retry-After ends after its deadline
      Feedback shutdown = h.feedback();
      h.report(shutdown); // paused by the Retry-After: still queued at close
      h.reporter.closeAsync();
      h.advance(s(1));

      assertThat(h.listener.stateOf(delivered.umid())).isEqualTo(DeliveryState.DELIVERED);
      assertThat(h.listener.stateOf(rejected.umid())).isEqualTo(DeliveryState.REJECTED);
      assertThat(h.listener.stateOf(expired.umid())).isEqualTo(DeliveryState.EXPIRED);
      assertThat(h.listener.stateOf(full.umid())).isEqualTo(DeliveryState.DROPPED);
      assertThat(h.listener.stateOf(shutdown.umid())).isEqualTo(DeliveryState.DROPPED);
      assertThat(h.listener.terminals).hasSize(5);
      assertThat(h.listener.attempts).extracting(AttemptEvent::statusClass)
          .containsExactly("2xx", "4xx", "4xx");
      assertThat(h.listener.attempts).extracting(a -> a.result().status())
          .containsExactly(200, 400, 429);
      h.balanced();
    }

    @Test
    void throwingListener_doesNotBreakDeliveryNorOtherListeners() {
      AtomicInteger calls = new AtomicInteger();
      FeedbackListener broken =
          new FeedbackListener() {
            @Override
            public void onAttempt(AttemptEvent event) {
              calls.incrementAndGet();
              throw new IllegalStateException("listener bug");
            }

            @Override
            public void onTerminal(DeliveryEvent event) {
              calls.incrementAndGet();
              throw new AssertionError("listener bug");
            }
          };
      h = new ReporterHarness(b -> b.queueCapacity(1), broken);
      try (LogCapture logs = new LogCapture()) {
        h.report(h.feedback());
        h.transport.completeOldest(UNAVAILABLE);
        h.advance(s(1));
        h.transport.completeOldest(OK);
        h.step();
        h.reporter.report(h.feedback());
        h.reporter.report(h.feedback()); // queue full: called on this thread, must not throw

        assertThat(calls.get()).isEqualTo(4);
        assertThat(h.listener.attempts).hasSize(2);
        assertThat(h.listener.terminals).hasSize(2);
        assertThat(h.stats().delivered()).isEqualTo(1);
        assertThat(logs.lines("onAttempt threw")).isEqualTo(1);
        assertThat(logs.lines("onTerminal threw")).isEqualTo(1);
      }
      h.step();
      h.transport.completeOldest(OK);
      h.step();
      h.balanced();
    }
  }

  @Nested
  class AuthAndLogs {

    @Test
    void unauthorized_setsAuthFailing_andADeliveryClearsIt() {
      h.report(h.feedback());
      h.transport.completeOldest(UNAUTHORIZED);
      h.step();
      ReporterStats s = h.balanced();
      assertThat(s.authFailing()).isTrue();
      assertThat(s.rejected()).isEqualTo(1);

      h.report(h.feedback());
      h.transport.completeOldest(TransportResult.ofStatus(403));
      h.step();
      assertThat(h.stats().authFailing()).isTrue();

      h.report(h.feedback());
      h.transport.completeOldest(UNAVAILABLE);
      h.step();
      assertThat(h.stats().authFailing()).as("only a delivery clears it").isTrue();
      h.advance(s(1));
      h.transport.completeOldest(OK);
      h.step();
      assertThat(h.balanced().authFailing()).isFalse();
    }

    @Test
    void unauthorized_logsOneClearErrorPerMinute_withoutTheKey() {
      try (LogCapture logs = new LogCapture()) {
        for (int i = 0; i < 3; i++) {
          h.report(h.feedback());
          h.transport.completeOldest(UNAUTHORIZED);
          h.advance(s(20));
        }
        assertThat(logs.lines("8x8 refused the API key (HTTP 401) for subaccount acme-otp;"
            + " check sms.feedback.api-key")).isEqualTo(1);
        h.advance(s(1)); // 61s after the first
        h.report(h.feedback());
        h.transport.completeOldest(UNAUTHORIZED);
        h.step();
        assertThat(logs.lines("8x8 refused the API key")).isEqualTo(2);
        assertThat(logs.lines("ERROR")).isEqualTo(2);
        assertThat(logs.text()).doesNotContain(ReporterHarness.API_KEY);
      }
    }

    @Test
    void failures_logTheFirstOfAKindAtWarn_andRepeatsQuietly() {
      try (LogCapture logs = new LogCapture()) {
        h.report(h.feedback());
        for (int i = 0; i < 3; i++) {
          h.transport.completeOldest(UNAVAILABLE);
          h.advance(s(5));
        }
        h.transport.completeOldest(TransportResult.ioError("ConnectException"));
        h.advance(s(5));
        h.transport.completeOldest(TransportResult.ioError("ConnectException"));
        h.advance(s(5));
        h.transport.completeOldest(OK);
        h.step();
        assertThat(logs.lines("WARN")).isEqualTo(2);
        assertThat(logs.lines("HTTP 503")).isEqualTo(1);
        assertThat(logs.lines("ConnectException")).isEqualTo(1);
        assertThat(logs.lines(h.listener.terminals.get(0).feedback().umid().toString()))
            .as("nothing per success above DEBUG")
            .isZero();
        assertThat(logs.text()).doesNotContain(ReporterHarness.API_KEY);
      }
    }
  }

  @Nested
  class Secrets {

    @Test
    void toString_masksTheApiKey() {
      assertThat(h.reporter.toString())
          .doesNotContain(ReporterHarness.API_KEY)
          .contains("****cdef")
          .contains("acme-otp");
    }

    @Test
    void stats_andEvents_neverCarryTheKey() {
      h.report(h.feedback());
      h.transport.completeOldest(UNAUTHORIZED);
      h.step();
      assertThat(h.stats().toString()).doesNotContain(ReporterHarness.API_KEY);
      assertThat(h.listener.terminals.toString()).doesNotContain(ReporterHarness.API_KEY);
    }
  }
}
