package io.smsfeedback.internal.tracker;

import static io.smsfeedback.ConversionTracker.Signal.APPLIED;
import static io.smsfeedback.ConversionTracker.Signal.ATTEMPT_COUNTED;
import static io.smsfeedback.ConversionTracker.Signal.CLOSED;
import static io.smsfeedback.ConversionTracker.Signal.DUPLICATE;
import static io.smsfeedback.ConversionTracker.Signal.ERROR;
import static io.smsfeedback.ConversionTracker.Signal.OVER_CAPACITY;
import static io.smsfeedback.ConversionTracker.Signal.TOO_LATE;
import static io.smsfeedback.Outcome.FAILURE;
import static io.smsfeedback.Outcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transition of the tracker as a table: each row is a script of timed calls with the signal
 * each must return, the exact feedbacks the reporter must receive (outcome, timestamp, OTP) and the
 * exact stats at the end. Time is a {@link ManualClock}; the abandonment scan runs every second on a
 * {@link ManualScheduler} as the script moves the clock.
 */
class ConversionTrackerTransitionsTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static final SentOtp A = new SentOtp("sub-a", UUID.fromString("00000000-0000-4000-8000-00000000000a"), T0);
  static final SentOtp B =
      new SentOtp("sub-b", UUID.fromString("00000000-0000-4000-8000-00000000000b"), T0.plusSeconds(60));
  static final SentOtp C =
      new SentOtp("sub-c", UUID.fromString("00000000-0000-4000-8000-00000000000c"), T0.plusSeconds(120));

  static Duration min(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  static Duration sec(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        scenario("sent starts tracking and reports nothing yet")
            .send(A, APPLIED)
            .at(min(9).plusSeconds(59))
            .stats(s -> s.tracked(1).pending(1)),
        scenario("verification is a success at the user's action time")
            .send(A, APPLIED)
            .at(min(2))
            .verify(A, APPLIED)
            .reports(SUCCESS, A, min(2))
            .stats(s -> s.tracked(1).successes(1)),
        scenario("an action time before the send is clamped to sentAt")
            .send(A, APPLIED)
            .at(min(1))
            .verifyActedAt(A, T0.minusSeconds(5), APPLIED)
            .reports(SUCCESS, A, Duration.ZERO)
            .stats(s -> s.tracked(1).successes(1)),
        scenario("an action time in the future is clamped to now")
            .send(A, APPLIED)
            .at(min(1))
            .verifyActedAt(A, T0.plus(min(5)), APPLIED)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1)),
        scenario("a wrong code only counts an attempt when max-attempts is off")
            .send(A, APPLIED)
            .at(min(1))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(2))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(3))
            .verify(A, APPLIED)
            .reports(SUCCESS, A, min(3))
            .stats(s -> s.tracked(1).successes(1).wrongCodes(2)),
        scenario("the max-attempts-th wrong code is a failure at its time; later signals are duplicates")
            .maxAttempts(3)
            .send(A, APPLIED)
            .at(min(1))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(2))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(3))
            .wrongCode(A, APPLIED)
            .at(min(4))
            .verify(A, DUPLICATE)
            .wrongCode(A, DUPLICATE)
            .at(min(11))
            .reports(FAILURE, A, min(3))
            .stats(s -> s.tracked(1).maxAttempts(1).wrongCodes(3).duplicates(2)),
        scenario("superseded is a failure at the time of the new send")
            .send(A, APPLIED)
            .at(min(1))
            .supersede(A, APPLIED)
            .send(B, APPLIED)
            .reports(FAILURE, A, min(1))
            .stats(s -> s.tracked(2).pending(1).superseded(1)),
        scenario("nothing within abandon-after is a failure when the timer fires")
            .send(A, APPLIED)
            .at(min(10).minusSeconds(1))
            .expectReported(0)
            .at(min(10))
            .expectReported(1)
            .reports(FAILURE, A, min(10))
            .stats(s -> s.tracked(1).abandoned(1)),
        scenario("wrong codes do not stop the abandonment")
            .send(A, APPLIED)
            .at(min(1))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(11))
            .reports(FAILURE, A, min(10))
            .stats(s -> s.tracked(1).abandoned(1).wrongCodes(1)),
        scenario("a success after the abandonment failure is a duplicate and not sent")
            .send(A, APPLIED)
            .at(min(11))
            .verify(A, DUPLICATE)
            .reports(FAILURE, A, min(10))
            .stats(s -> s.tracked(1).abandoned(1).duplicates(1)),
        scenario("a second verification (double submit) is a duplicate")
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .verify(A, DUPLICATE)
            .at(min(12))
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1).duplicates(1)),
        scenario("superseding a verified umid is a duplicate")
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .at(min(2))
            .supersede(A, DUPLICATE)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1).duplicates(1)),
        scenario("sending a tracked umid again is a duplicate and does not restart its timer")
            .send(A, APPLIED)
            .at(min(5))
            .send(A, DUPLICATE)
            .at(min(10))
            .reports(FAILURE, A, min(10))
            .stats(s -> s.tracked(1).abandoned(1).duplicates(1)),
        scenario("a verification for an untracked umid in its window adopts it: success")
            .at(min(3))
            .verify(A, APPLIED)
            .verify(A, DUPLICATE)
            .reports(SUCCESS, A, min(3))
            .stats(s -> s.tracked(1).successes(1).adopted(1).duplicates(1)),
        scenario("an adopted umid is abandoned from its passed sentAt")
            .at(min(3))
            .wrongCode(A, ATTEMPT_COUNTED)
            .at(min(10))
            .reports(FAILURE, A, min(10))
            .stats(s -> s.tracked(1).abandoned(1).wrongCodes(1).adopted(1)),
        scenario("a superseded untracked umid is adopted: failure")
            .at(min(2))
            .supersede(A, APPLIED)
            .reports(FAILURE, A, min(2))
            .stats(s -> s.tracked(1).superseded(1).adopted(1)),
        scenario("an untracked umid past abandon-after was decided by abandonment: not adopted")
            .at(min(10))
            .verify(A, DUPLICATE)
            .wrongCode(A, DUPLICATE)
            .supersede(A, DUPLICATE)
            .stats(s -> s.duplicates(3)),
        scenario("an untracked umid just before abandon-after is still adopted")
            .at(min(10).minusMillis(1))
            .verify(A, APPLIED)
            .reports(SUCCESS, A, min(10).minusMillis(1))
            .stats(s -> s.tracked(1).successes(1).adopted(1)),
        scenario("the stored record (sentAt, subaccount) wins over the one passed with a signal")
            .send(A, APPLIED)
            .at(min(2))
            .verifyActedAt(
                new SentOtp("sub-other", A.umid(), T0.plusSeconds(90)), T0.plusSeconds(60), APPLIED)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1)),
        scenario("a signal for an untracked umid after its window is too late")
            .at(min(15).plusMillis(1))
            .verify(A, TOO_LATE)
            .wrongCode(A, TOO_LATE)
            .supersede(A, TOO_LATE)
            .stats(s -> s.tooLate(3)),
        scenario("a send older than the window is too late and not tracked")
            .at(min(16))
            .send(A, TOO_LATE)
            .stats(s -> s.tooLate(1)),
        scenario("after the window, too late wins over duplicate")
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .jumpWithoutScan(min(15).plusMillis(1))
            .verify(A, TOO_LATE)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1).tooLate(1)),
        scenario("a pending umid whose window passed before any scan expires unreported and is forgotten")
            .send(A, APPLIED)
            .jumpWithoutScan(min(15).plusMillis(1))
            .verify(A, TOO_LATE)
            .runScan()
            .stats(s -> s.tooLate(1).expired(1)),
        scenario("a finished umid is forgotten once its window has passed")
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .at(min(15))
            .expectTracked(1)
            .at(min(15).plusSeconds(1))
            .expectTracked(0)
            .verify(A, TOO_LATE)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.successes(1).tooLate(1)),
        scenario("at max-tracked with every umid pending a send is over capacity")
            .maxTracked(1)
            .send(A, APPLIED)
            .send(B, OVER_CAPACITY)
            .at(min(2).plusSeconds(30))
            .verify(C, OVER_CAPACITY)
            .stats(s -> s.tracked(1).pending(1).overCapacity(2)),
        scenario("at max-tracked a finished umid is evicted to track a new one")
            .maxTracked(1)
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .send(B, APPLIED)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).pending(1).successes(1)),
        scenario("a reporter refusing the feedback does not undo the decision")
            .reporterRefuses()
            .send(A, APPLIED)
            .at(min(1))
            .verify(A, APPLIED)
            .verify(A, DUPLICATE)
            .reports(SUCCESS, A, min(1))
            .stats(s -> s.tracked(1).successes(1).duplicates(1)),
        scenario("a reporter that throws gives ERROR; the umid is decided all the same")
            .send(A, APPLIED)
            .reporterThrows()
            .at(min(1))
            .verify(A, ERROR)
            .verify(A, DUPLICATE)
            .stats(s -> s.tracked(1).successes(1).duplicates(1).errors(1)),
        scenario("after close every call returns CLOSED, changes nothing, and the timer stops")
            .send(A, APPLIED)
            .close()
            .send(B, CLOSED)
            .verify(A, CLOSED)
            .wrongCode(A, CLOSED)
            .supersede(A, CLOSED)
            .close()
            .at(min(11))
            .stats(s -> s.tracked(1).pending(1).afterClose(4)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void transition(Scenario scenario) {
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey("test-key-0123456789")
            .subAccountId("sub-default")
            .validity(min(15))
            .abandonAfter(min(10))
            .maxAttempts(scenario.maxAttempts)
            .maxTracked(scenario.maxTracked)
            .build();
    Run run = new Run();
    run.tracker =
        ConversionTracker.builder(settings, run.reporter)
            .clock(run.clock)
            .scheduler(run.scheduler)
            .store(run.store)
            .scanInterval(sec(1))
            .build();
    try {
      for (int i = 0; i < scenario.steps.size(); i++) {
        scenario.steps.get(i).accept(run, scenario.name + ", step " + (i + 1));
      }

      assertThat(run.reporter.received()).as("reported").isEqualTo(scenario.expectedReports);
      assertThat(run.tracker.stats()).as("stats").isEqualTo(scenario.stats.toStats());
    } finally {
      run.tracker.close();
    }
  }

  static Scenario scenario(String name) {
    return new Scenario(name);
  }

  static final class Run {
    final ManualClock clock = new ManualClock(T0);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();
    final TrackingStore store = TrackingStore.inMemory();
    ConversionTracker tracker;
  }

  interface Step {
    void accept(Run run, String description);
  }

  static final class Scenario {
    final String name;
    int maxAttempts;
    int maxTracked = 100;
    final List<Step> steps = new ArrayList<>();
    final List<Feedback> expectedReports = new ArrayList<>();
    ExpectedStats stats = new ExpectedStats();

    Scenario(String name) {
      this.name = name;
    }

    Scenario maxAttempts(int n) {
      maxAttempts = n;
      return this;
    }

    Scenario maxTracked(int n) {
      maxTracked = n;
      return this;
    }

    /** Moves the clock to {@code T0 + offset}, running every scan due on the way. */
    Scenario at(Duration offset) {
      steps.add((r, d) -> r.scheduler.advance(Duration.between(r.clock.instant(), T0.plus(offset))));
      return this;
    }

    /** Moves the clock to {@code T0 + offset} without running the scans due on the way. */
    Scenario jumpWithoutScan(Duration offset) {
      steps.add((r, d) -> r.clock.set(T0.plus(offset)));
      return this;
    }

    Scenario runScan() {
      steps.add((r, d) -> assertThat(r.scheduler.runDue()).as(d).isPositive());
      return this;
    }

    Scenario send(SentOtp otp, Signal expected) {
      steps.add((r, d) -> assertThat(r.tracker.sent(otp)).as(d).isEqualTo(expected));
      return this;
    }

    Scenario verify(SentOtp otp, Signal expected) {
      steps.add(
          (r, d) -> assertThat(r.tracker.verified(otp, r.clock.instant())).as(d).isEqualTo(expected));
      return this;
    }

    Scenario verifyActedAt(SentOtp otp, Instant actedAt, Signal expected) {
      steps.add((r, d) -> assertThat(r.tracker.verified(otp, actedAt)).as(d).isEqualTo(expected));
      return this;
    }

    Scenario wrongCode(SentOtp otp, Signal expected) {
      steps.add(
          (r, d) -> assertThat(r.tracker.wrongCode(otp, r.clock.instant())).as(d).isEqualTo(expected));
      return this;
    }

    Scenario supersede(SentOtp otp, Signal expected) {
      steps.add(
          (r, d) ->
              assertThat(r.tracker.superseded(otp, r.clock.instant())).as(d).isEqualTo(expected));
      return this;
    }

    Scenario close() {
      steps.add((r, d) -> r.tracker.close());
      return this;
    }

    Scenario reporterRefuses() {
      steps.add((r, d) -> r.reporter.refusing(true));
      return this;
    }

    Scenario reporterThrows() {
      steps.add((r, d) -> r.reporter.throwing(true));
      return this;
    }

    Scenario expectReported(int count) {
      steps.add((r, d) -> assertThat(r.reporter.received()).as(d).hasSize(count));
      return this;
    }

    Scenario expectTracked(long count) {
      steps.add((r, d) -> assertThat(r.tracker.stats().tracked()).as(d).isEqualTo(count));
      return this;
    }

    /** The reporter must receive this feedback (in the order declared). */
    Scenario reports(Outcome outcome, SentOtp otp, Duration actedAtOffset) {
      expectedReports.add(new Feedback(otp, outcome, T0.plus(actedAtOffset)));
      return this;
    }

    Scenario stats(UnaryOperator<ExpectedStats> expected) {
      stats = expected.apply(new ExpectedStats());
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
