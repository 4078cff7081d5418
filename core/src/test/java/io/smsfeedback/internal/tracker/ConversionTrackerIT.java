package io.smsfeedback.internal.tracker;

import static io.smsfeedback.ConversionTracker.Signal.APPLIED;
import static io.smsfeedback.ConversionTracker.Signal.ATTEMPT_COUNTED;
import static io.smsfeedback.ConversionTracker.Signal.DUPLICATE;
import static io.smsfeedback.ConversionTracker.Signal.TOO_LATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end in core: the tracker (on a manual clock and scheduler driving abandonment) hands its
 * outcomes to the real reporter (real time, real HttpClient transport), which delivers them to the
 * 8x8 simulator over loopback. Asserts exactly what the simulator accepted: one feedback per umid,
 * the right outcome, subaccount and timestamp.
 */
class ConversionTrackerIT {

  static final String KEY = "it-key-0123456789abcdefWXYZ";

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  // The manual clock starts a minute in the real past, so every timestamp the tracker produces is
  // in the past and inside its window for the reporter, which runs on real time.
  final Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
  final ManualClock clock = new ManualClock(t0);
  final ManualScheduler scheduler = new ManualScheduler(clock);

  SmsApiSimulator sim;
  FeedbackReporter reporter;
  ConversionTracker tracker;

  @BeforeEach
  void start() {
    sim = extension.simulator();
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey(KEY)
            .subAccountId("acme-otp")
            .baseUrl(sim.baseUri())
            .validity(Duration.ofMinutes(15))
            .abandonAfter(Duration.ofSeconds(10))
            .maxAttempts(3)
            .connectTimeout(Duration.ofMillis(500))
            .responseTimeout(Duration.ofSeconds(2))
            .shutdownTimeout(Duration.ofSeconds(2))
            .build();
    reporter = FeedbackReporter.create(settings);
    tracker =
        ConversionTracker.builder(settings, reporter)
            .clock(clock)
            .scheduler(scheduler)
            .scanInterval(Duration.ofSeconds(1))
            .build();
  }

  @AfterEach
  void stop() {
    tracker.close();
    reporter.close();
    Accounting.assertBalanced(reporter.stats());
  }

  @Test
  void trackerToReporterToSimulator_deliversExactlyOneRightOutcomePerUmid() {
    SentOtp verified = otp("acme-otp");
    SentOtp replaced = otp("acme-otp");
    SentOtp replacement = new SentOtp("acme-otp", UUID.randomUUID(), t0.plusSeconds(2));
    SentOtp mistyped = otp("acme.eu_2&co");
    SentOtp abandoned = otp("acme-otp");
    SentOtp adopted = otp("acme-otp");
    SentOtp lateSuccess = otp("acme-otp");
    SentOtp tooOld = new SentOtp("acme-otp", UUID.randomUUID(), t0.minus(Duration.ofMinutes(16)));
    Map<UUID, Expected> expected = new LinkedHashMap<>();

    for (SentOtp otp : new SentOtp[] {verified, replaced, mistyped, abandoned, lateSuccess}) {
      assertThat(tracker.sent(otp)).isEqualTo(APPLIED);
    }
    assertThat(tracker.sent(tooOld)).isEqualTo(TOO_LATE);

    at(1);
    assertThat(tracker.verified(verified, now())).isEqualTo(APPLIED);
    assertThat(tracker.verified(verified, now())).as("double submit").isEqualTo(DUPLICATE);
    assertThat(tracker.wrongCode(mistyped, now())).isEqualTo(ATTEMPT_COUNTED);
    assertThat(tracker.wrongCode(lateSuccess, now())).isEqualTo(ATTEMPT_COUNTED);
    expected.put(verified.umid(), new Expected(verified, Outcome.SUCCESS, now()));

    at(2);
    assertThat(tracker.superseded(replaced, now())).isEqualTo(APPLIED);
    assertThat(tracker.sent(replacement)).isEqualTo(APPLIED);
    assertThat(tracker.wrongCode(mistyped, now())).isEqualTo(ATTEMPT_COUNTED);
    expected.put(replaced.umid(), new Expected(replaced, Outcome.FAILURE, now()));

    at(3);
    assertThat(tracker.verified(replacement, now().minusSeconds(30)))
        .as("acted before the send: clamped to the stored sentAt")
        .isEqualTo(APPLIED);
    assertThat(tracker.wrongCode(mistyped, now())).as("third wrong code").isEqualTo(APPLIED);
    expected.put(replacement.umid(), new Expected(replacement, Outcome.SUCCESS, t0.plusSeconds(2)));
    expected.put(mistyped.umid(), new Expected(mistyped, Outcome.FAILURE, now()));

    at(4);
    assertThat(tracker.verified(adopted, now())).as("never sent here: adopted").isEqualTo(APPLIED);
    assertThat(tracker.verified(mistyped, now())).isEqualTo(DUPLICATE);
    expected.put(adopted.umid(), new Expected(adopted, Outcome.SUCCESS, now()));

    at(10); // abandon-after: the scan reports the two OTPs nobody came back for
    expected.put(abandoned.umid(), new Expected(abandoned, Outcome.FAILURE, now()));
    expected.put(lateSuccess.umid(), new Expected(lateSuccess, Outcome.FAILURE, now()));

    at(12);
    assertThat(tracker.verified(lateSuccess, now()))
        .as("success after the abandonment failure")
        .isEqualTo(DUPLICATE);

    assertThat(reporter.flush(Duration.ofSeconds(10))).as("flushed").isTrue();

    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(expected.size());
    for (Expected e : expected.values()) {
      assertThat(sim.receivedFeedback(e.otp.umid()))
          .as("feedback for %s", e.otp.umid())
          .singleElement()
          .satisfies(
              rf -> {
                assertThat(rf.outcome()).isEqualTo(e.outcome.wireValue());
                assertThat(rf.subAccountId()).isEqualTo(e.otp.subAccountId());
                assertThat(rf.actedAt()).contains(e.actedAt);
                assertThat(rf.timestamp()).endsWith("Z").matches(".*\\.\\d{3}Z");
              });
    }
    assertThat(sim.receivedFeedback(tooOld.umid())).isEmpty();

    ReporterStats delivered = Accounting.assertBalanced(reporter.stats());
    assertThat(delivered.delivered()).isEqualTo(expected.size());
    assertThat(delivered.duplicates()).isZero();
    TrackerStats stats = tracker.stats();
    assertThat(stats.successes()).isEqualTo(3);
    assertThat(stats.failuresSuperseded()).isEqualTo(1);
    assertThat(stats.failuresMaxAttempts()).isEqualTo(1);
    assertThat(stats.failuresAbandoned()).isEqualTo(2);
    assertThat(stats.duplicates()).isEqualTo(3);
    assertThat(stats.adopted()).isEqualTo(1);
    assertThat(stats.tooLate()).isEqualTo(1);
    assertThat(stats.pending()).isZero();
    assertThat(sim.receivedFeedback())
        .extracting(ReceivedFeedback::umid)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  private SentOtp otp(String subAccountId) {
    return new SentOtp(subAccountId, UUID.randomUUID(), t0);
  }

  private void at(long seconds) {
    scheduler.advance(Duration.between(clock.instant(), t0.plusSeconds(seconds)));
  }

  private Instant now() {
    return clock.instant();
  }

  private record Expected(SentOtp otp, Outcome outcome, Instant actedAt) {}
}
