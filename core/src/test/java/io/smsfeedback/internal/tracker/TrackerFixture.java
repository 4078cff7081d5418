package io.smsfeedback.internal.tracker;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A tracker on a manual clock and scheduler (scan every second), a recording reporter and a store. */
final class TrackerFixture implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();
  final TrackingStore store;
  final ConversionTracker tracker;

  TrackerFixture(UnaryOperator<FeedbackSettings.Builder> settings) {
    this(settings, TrackingStore.inMemory());
  }

  TrackerFixture(UnaryOperator<FeedbackSettings.Builder> settings, TrackingStore store) {
    this.store = store;
    this.tracker =
        ConversionTracker.builder(settings.apply(baseSettings()).build(), reporter)
            .clock(clock)
            .scheduler(scheduler)
            .store(store)
            .scanInterval(Duration.ofSeconds(1))
            .build();
  }

  /** 15m validity, 10m abandon-after, max-attempts off, default max-tracked. */
  static FeedbackSettings.Builder baseSettings() {
    return FeedbackSettings.builder()
        .apiKey("test-key-0123456789")
        .subAccountId("sub-default")
        .validity(Duration.ofMinutes(15))
        .abandonAfter(Duration.ofMinutes(10));
  }

  /** Moves the clock to {@code T0 + offset}, running the scans due on the way. */
  void advanceTo(Duration offset) {
    scheduler.advance(Duration.between(clock.instant(), T0.plus(offset)));
  }

  Instant now() {
    return clock.instant();
  }

  static SentOtp otp(Instant sentAt) {
    return new SentOtp("sub-x", UUID.randomUUID(), sentAt);
  }

  @Override
  public void close() {
    tracker.close();
  }
}
