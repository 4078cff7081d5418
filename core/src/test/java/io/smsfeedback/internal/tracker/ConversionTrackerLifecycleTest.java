package io.smsfeedback.internal.tracker;

import static io.smsfeedback.ConversionTracker.Signal.APPLIED;
import static io.smsfeedback.ConversionTracker.Signal.ERROR;
import static io.smsfeedback.internal.tracker.TrackerFixture.T0;
import static io.smsfeedback.internal.tracker.TrackerFixture.otp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Timer thread ownership, close, failing collaborators and argument checks. */
class ConversionTrackerLifecycleTest {

  private final RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();

  @Test
  void create_startsOneDaemonTimerThread_andCloseStopsIt() {
    long before = timerThreads().size();
    ConversionTracker tracker =
        ConversionTracker.create(TrackerFixture.baseSettings().build(), reporter);
    try {
      // scheduling the scan starts the thread
      List<Thread> started = timerThreads();
      assertThat(started).hasSize((int) before + 1);
      assertThat(started).allMatch(Thread::isDaemon);
    } finally {
      tracker.close();
      tracker.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> timerThreads().size() == before);
    assertThat(reporter.isClosed()).as("the reporter is not the tracker's to close").isFalse();
  }

  @Test
  void defaultTimer_reportsAbandonmentInRealTime() {
    FeedbackSettings settings =
        TrackerFixture.baseSettings()
            .validity(Duration.ofSeconds(30))
            .abandonAfter(Duration.ofMillis(200))
            .build();
    try (ConversionTracker tracker =
        ConversionTracker.builder(settings, reporter).scanInterval(Duration.ofMillis(20)).build()) {
      SentOtp otp = otp(Instant.now());
      assertThat(tracker.sent(otp)).isEqualTo(APPLIED);

      await().atMost(Duration.ofSeconds(5)).until(() -> reporter.received().size() == 1);

      Feedback feedback = reporter.received().get(0);
      assertThat(feedback.outcome()).isEqualTo(Outcome.FAILURE);
      assertThat(feedback.actedAt()).isAfterOrEqualTo(otp.sentAt().plusMillis(200));
      assertThat(tracker.stats().failuresAbandoned()).isEqualTo(1);
    }
  }

  @Test
  void close_cancelsTheScanOnAGivenScheduler_butLeavesTheSchedulerRunning() {
    ManualClock clock = new ManualClock(T0);
    ManualScheduler scheduler = new ManualScheduler(clock);
    ConversionTracker tracker =
        ConversionTracker.builder(TrackerFixture.baseSettings().build(), reporter)
            .clock(clock)
            .scheduler(scheduler)
            .build();
    assertThat(scheduler.pending()).isEqualTo(1);
    assertThat(scheduler.nextDue()).isEqualTo(T0.plus(ConversionTracker.Builder.DEFAULT_SCAN_INTERVAL));

    tracker.close();

    assertThat(scheduler.pending()).isZero();
    assertThat(scheduler.isShutdown()).isFalse();
  }

  @Test
  void close_leavesPendingOtpsInTheStore_forTheNextTracker() {
    TrackingStore store = TrackingStore.inMemory();
    SentOtp otp = otp(T0);
    try (TrackerFixture first = new TrackerFixture(s -> s, store)) {
      first.tracker.sent(otp);
    }
    assertThat(store.find(otp.umid())).map(TrackedOtp::isPending).contains(true);

    try (TrackerFixture second = new TrackerFixture(s -> s, store)) {
      second.advanceTo(Duration.ofMinutes(10));
      assertThat(second.reporter.received()).extracting(Feedback::umid).containsExactly(otp.umid());
    }
  }

  @Test
  void aFailingStore_givesErrorToCallers_andTheScanRecoversAtTheNextInterval() {
    FlakyStore store = new FlakyStore();
    try (TrackerFixture f = new TrackerFixture(s -> s, store)) {
      SentOtp a = otp(T0);
      assertThat(f.tracker.sent(a)).isEqualTo(APPLIED);

      store.failing = true;
      assertThat(f.tracker.sent(otp(T0))).isEqualTo(ERROR);
      assertThat(f.tracker.verified(a, f.now())).isEqualTo(ERROR);
      f.advanceTo(Duration.ofMinutes(10));
      assertThat(f.reporter.received()).isEmpty();

      store.failing = false;
      f.advanceTo(Duration.ofMinutes(10).plusSeconds(1));
      assertThat(f.reporter.received()).extracting(Feedback::umid).containsExactly(a.umid());
      assertThat(f.tracker.stats().errors()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aReporterThatThrows_doesNotStopTheScan_fromAbandoningTheOthers() {
    try (TrackerFixture f = new TrackerFixture(s -> s)) {
      f.tracker.sent(otp(T0));
      f.tracker.sent(otp(T0));
      f.reporter.throwing(true);

      f.advanceTo(Duration.ofMinutes(10));

      assertThat(f.tracker.stats().failuresAbandoned()).isEqualTo(2);
      assertThat(f.tracker.stats().errors()).isEqualTo(2);
      assertThat(f.tracker.stats().pending()).isZero();
    }
  }

  @Test
  void builder_refusesMissingCollaboratorsAndBadScanIntervals_namingThem() {
    FeedbackSettings settings = TrackerFixture.baseSettings().build();
    ConversionTracker.Builder builder = ConversionTracker.builder(settings, reporter);

    assertThatThrownBy(() -> ConversionTracker.builder(null, reporter))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("settings");
    assertThatThrownBy(() -> ConversionTracker.builder(settings, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reporter");
    assertThatThrownBy(() -> builder.scanInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scanInterval must be > 0: PT0S");
    assertThatThrownBy(() -> builder.scanInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scanInterval must be > 0");
    assertThatThrownBy(() -> builder.scanInterval(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scanInterval must be at most 1m: PT2M");
  }

  @Test
  void nullArguments_throwNullPointerExceptionNamingThem() {
    try (TrackerFixture f = new TrackerFixture(s -> s)) {
      assertThatThrownBy(() -> f.tracker.sent(null)).hasMessage("otp");
      assertThatThrownBy(() -> f.tracker.verified(otp(T0), null)).hasMessage("at");
      assertThatThrownBy(() -> f.tracker.wrongCode(null, T0)).hasMessage("otp");
    }
  }

  private static List<Thread> timerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(DefaultConversionTracker.THREAD_NAME) && t.isAlive())
        .toList();
  }

  /** An in-memory store that throws while {@link #failing}. */
  private static final class FlakyStore implements TrackingStore {
    private final TrackingStore delegate = TrackingStore.inMemory();
    volatile boolean failing;

    private void check() {
      if (failing) {
        throw new IllegalStateException("store down (test)");
      }
    }

    @Override
    public boolean insertIfAbsent(TrackedOtp record) {
      check();
      return delegate.insertIfAbsent(record);
    }

    @Override
    public Optional<TrackedOtp> find(UUID umid) {
      check();
      return delegate.find(umid);
    }

    @Override
    public boolean compareAndSet(TrackedOtp expected, TrackedOtp updated) {
      check();
      return delegate.compareAndSet(expected, updated);
    }

    @Override
    public List<TrackedOtp> findDueForAbandonment(Instant now, int limit) {
      check();
      return delegate.findDueForAbandonment(now, limit);
    }

    @Override
    public int purgeFinishedBefore(Instant sentBefore, int limit) {
      check();
      return delegate.purgeFinishedBefore(sentBefore, limit);
    }

    @Override
    public int evictOldestFinished(int limit) {
      check();
      return delegate.evictOldestFinished(limit);
    }

    @Override
    public long countTracked() {
      return delegate.countTracked();
    }

    @Override
    public long countPending() {
      return delegate.countPending();
    }
  }
}
