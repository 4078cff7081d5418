package io.smsfeedback.internal.tracker;

import static io.smsfeedback.internal.tracker.TrackerFixture.T0;
import static io.smsfeedback.internal.tracker.TrackerFixture.otp;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.testing.FakeTransport;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A storm of abandonments larger than the reporter's queue: the tracker hands the reporter only as
 * many as its queue has room for and keeps the rest pending, so nothing is dropped while the
 * deadlines allow delivery. A real reporter and tracker on one manual clock, a fake transport.
 */
class ConversionTrackerStormTest {

  private static final int QUEUE = 100;
  private static final int STORM = 1_000;

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeTransport transport = new FakeTransport(clock);
  private FeedbackReporter reporter;
  private ConversionTracker tracker;

  private void start(Duration validity, Duration abandonAfter) {
    FeedbackSettings settings =
        TrackerFixture.baseSettings()
            .baseUrl(URI.create("http://127.0.0.1:9"))
            .validity(validity)
            .abandonAfter(abandonAfter)
            .queueCapacity(QUEUE)
            .maxConcurrentRequests(16)
            .shutdownTimeout(Duration.ZERO)
            .build();
    reporter =
        FeedbackReporter.builder(settings)
            .clock(clock)
            .scheduler(scheduler)
            .transport(transport)
            .build();
    tracker =
        ConversionTracker.builder(settings, reporter)
            .clock(clock)
            .scheduler(scheduler)
            .store(TrackingStore.inMemory())
            .scanInterval(Duration.ofSeconds(1))
            .build();
  }

  @AfterEach
  void close() {
    tracker.close();
    reporter.close();
  }

  /** Advances one second at a time, answering every attempt with {@code answer} as it starts. */
  private void run(Duration total, TransportResult answer) {
    for (long s = 0; s < total.toSeconds(); s++) {
      scheduler.advance(Duration.ofSeconds(1));
      while (!transport.pending().isEmpty()) {
        transport.completeOldest(answer);
        scheduler.runDue();
      }
      assertThat(reporter.stats().dropped()).as("dropped after %d s", s + 1).isZero();
    }
  }

  @Test
  void aBurstOfAbandonmentsTenTimesTheQueue_isAllDelivered_noneDropped() {
    start(Duration.ofMinutes(15), Duration.ofMinutes(1));
    for (int i = 0; i < STORM; i++) {
      tracker.sent(otp(T0));
    }

    run(Duration.ofMinutes(2), TransportResult.delivered(200));

    ReporterStats s = reporter.stats();
    assertThat(tracker.stats().failuresAbandoned()).isEqualTo(STORM);
    assertThat(s.accepted()).isEqualTo(STORM);
    assertThat(s.delivered()).isEqualTo(STORM);
    assertThat(s.dropped()).isZero();
    assertThat(s.expired()).isZero();
    assertThat(transport.sendCount()).isEqualTo(STORM);
  }

  @Test
  void whatTheReporterCannotTakeBeforeTheWindowEnds_expiresInTheTracker_notDroppedByTheReporter() {
    start(Duration.ofMinutes(2), Duration.ofMinutes(1));
    for (int i = 0; i < STORM; i++) {
      tracker.sent(otp(T0));
    }

    // 8x8 answers 429 asking for a pause past every deadline: the queue stays full until then
    TransportResult pause = TransportResult.ofStatus(429, Duration.ofMinutes(10), null, null, null);
    run(Duration.ofSeconds(118), pause);
    assertThat(reporter.stats().accepted())
        .as("the rest held back as pending, not offered to a full queue")
        .isLessThanOrEqualTo(QUEUE + 16L);
    assertThat(tracker.stats().pending()).isGreaterThanOrEqualTo(STORM - QUEUE - 16L);

    run(Duration.ofMinutes(1), pause); // past every deadline

    ReporterStats s = reporter.stats();
    assertThat(s.dropped()).isZero();
    assertThat(s.delivered()).isZero();
    assertThat(tracker.stats().pending()).isZero();
    assertThat(s.expired() + tracker.stats().expired()).isEqualTo(STORM);
  }
}
