package io.smsfeedback.internal.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionListener;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.WindowStats;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConversionTrackerListenerTest {

  private final ManualClock clock = new ManualClock(TrackerFixture.T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();

  private ConversionTracker tracker(ConversionListener listener) {
    return ConversionTracker.builder(
            TrackerFixture.baseSettings().maxAttempts(2).build(), reporter)
        .clock(clock)
        .scheduler(scheduler)
        .scanInterval(Duration.ofSeconds(1))
        .listener(listener)
        .build();
  }

  @Test
  void statsSeeEveryDecisionOnceWithItsReasonAndCountry() {
    ConversionStats stats = ConversionStats.builder().clock(clock).build();
    try (ConversionTracker tracker = tracker(stats)) {
      Instant t0 = clock.instant();
      SentOtp verified = TrackerFixture.otp(t0);
      SentOtp replaced = TrackerFixture.otp(t0);
      SentOtp typos = TrackerFixture.otp(t0);
      SentOtp gone = TrackerFixture.otp(t0);
      for (SentOtp otp : List.of(verified, replaced, typos, gone)) {
        stats.destination(otp.umid(), "65");
        assertThat(tracker.sent(otp)).isEqualTo(Signal.APPLIED);
      }
      assertThat(tracker.sent(verified)).isEqualTo(Signal.DUPLICATE);
      clock.advance(Duration.ofSeconds(40));
      tracker.verified(verified, clock.instant());
      tracker.verified(verified, clock.instant()); // duplicate: not a second success
      tracker.superseded(replaced, clock.instant());
      tracker.wrongCode(typos, clock.instant());
      tracker.wrongCode(typos, clock.instant());
      scheduler.advance(Duration.ofMinutes(10));

      WindowStats w = stats.snapshot().window(Duration.ofHours(1));
      assertThat(w.country("65").sent()).isEqualTo(4);
      assertThat(w.country("65").successes()).isEqualTo(1);
      assertThat(w.country("65").superseded()).isEqualTo(1);
      assertThat(w.country("65").maxAttempts()).isEqualTo(1);
      assertThat(w.country("65").abandoned()).isEqualTo(1);
      assertThat(w.country("65").p50()).isEqualTo(Duration.ofSeconds(45));
      assertThat(w.total().decided()).isEqualTo(4);
    }
  }

  @Test
  void anAdoptedUmidCountsAsSentSoConversionStaysAtMostOne() {
    ConversionStats stats = ConversionStats.builder().clock(clock).build();
    try (ConversionTracker tracker = tracker(stats)) {
      SentOtp otp = TrackerFixture.otp(clock.instant());
      assertThat(tracker.verified(otp, clock.instant())).isEqualTo(Signal.APPLIED);
      WindowStats w = stats.snapshot().window(Duration.ofMinutes(5));
      assertThat(w.country("unknown").sent()).isEqualTo(1);
      assertThat(w.country("unknown").successes()).isEqualTo(1);
    }
  }

  @Test
  void aThrowingListenerChangesNeitherTheDecisionNorItsReport() {
    List<TrackingState> seen = new CopyOnWriteArrayList<>();
    ConversionListener throwing =
        new ConversionListener() {
          @Override
          public void tracked(SentOtp otp) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void decided(SentOtp otp, TrackingState state, Instant decidedAt) {
            seen.add(state);
            throw new IllegalStateException("listener bug");
          }
        };
    try (ConversionTracker tracker = tracker(throwing)) {
      SentOtp otp = TrackerFixture.otp(clock.instant());
      assertThat(tracker.sent(otp)).isEqualTo(Signal.APPLIED);
      assertThat(tracker.verified(otp, clock.instant())).isEqualTo(Signal.APPLIED);
      assertThat(reporter.received()).hasSize(1);
      assertThat(seen).containsExactly(TrackingState.VERIFIED);
      assertThat(tracker.stats().errors()).isZero();
    }
  }
}
