package io.smsfeedback.internal.tracker;

import static io.smsfeedback.internal.tracker.TrackerFixture.T0;
import static io.smsfeedback.internal.tracker.TrackerFixture.otp;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.Outcome;
import io.smsfeedback.store.DeliveryOutbox;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.store.TrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The tracker's scan with a {@link DeliveryOutbox} store: what it claims is reported again. */
class ConversionTrackerRedeliveryTest {

  private final OutboxStore store = new OutboxStore();

  @Test
  void scan_reportsClaimedOutcomesAgain_withTheDecidedOutcomeAndTimestamp() {
    TrackedOtp verified =
        TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
            .finish(TrackingState.VERIFIED, T0.plusSeconds(3));
    TrackedOtp abandoned =
        TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
            .finish(TrackingState.ABANDONED, T0.plus(Duration.ofMinutes(10)));
    TrackedOtp expired =
        TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
            .finish(TrackingState.EXPIRED, T0.plus(Duration.ofMinutes(15)));
    store.toClaim.addAll(List.of(verified, abandoned, expired));

    try (TrackerFixture f = new TrackerFixture(b -> b, store)) {
      f.advanceTo(Duration.ofSeconds(1));

      assertThat(f.reporter.received())
          .containsExactly(
              new Feedback(verified.otp(), Outcome.SUCCESS, T0.plusSeconds(3)),
              new Feedback(abandoned.otp(), Outcome.FAILURE, T0.plus(Duration.ofMinutes(10))));
      assertThat(store.sentAfter)
          .as("only outcomes still inside their window, at each scan")
          .containsExactly(T0.minus(Duration.ofMinutes(15)), f.now().minus(Duration.ofMinutes(15)));
    }
  }

  @Test
  void firstScan_runsAtStartup_withAnOutboxStore() {
    TrackedOtp verified =
        TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
            .finish(TrackingState.VERIFIED, T0);
    store.toClaim.add(verified);

    try (TrackerFixture f = new TrackerFixture(b -> b, store)) {
      f.scheduler.runDue();

      assertThat(f.reporter.received()).hasSize(1);
      assertThat(store.sentAfter).containsExactly(T0.minus(Duration.ofMinutes(15)));
    }
  }

  @Test
  void scan_claimsAnotherBatch_onlyWhileBatchesAreFull() {
    for (int i = 0; i < DefaultConversionTracker.BATCH + 5; i++) {
      store.toClaim.add(
          TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
              .finish(TrackingState.SUPERSEDED, T0.plusSeconds(1)));
    }

    try (TrackerFixture f = new TrackerFixture(b -> b, store)) {
      f.scheduler.runDue();

      assertThat(f.reporter.received()).hasSize(DefaultConversionTracker.BATCH + 5);
      assertThat(store.sentAfter).hasSize(2);
    }
  }

  @Test
  void scan_goesOn_whenTheReporterThrows() {
    store.toClaim.add(
        TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
            .finish(TrackingState.VERIFIED, T0));

    try (TrackerFixture f = new TrackerFixture(b -> b, store)) {
      f.reporter.throwing(true);
      f.scheduler.runDue();
      f.reporter.throwing(false);
      store.toClaim.add(
          TrackedOtp.pending(otp(T0), T0.plus(Duration.ofMinutes(10)))
              .finish(TrackingState.VERIFIED, T0));
      f.advanceTo(Duration.ofSeconds(1));

      assertThat(f.tracker.stats().errors()).isEqualTo(1);
      assertThat(f.reporter.received()).hasSize(1);
    }
  }

  /** The in-memory store wrapped with a scripted outbox. */
  private static final class OutboxStore implements TrackingStore, DeliveryOutbox {
    final TrackingStore delegate = TrackingStore.inMemory();
    final ConcurrentLinkedQueue<TrackedOtp> toClaim = new ConcurrentLinkedQueue<>();
    final List<Instant> sentAfter = new ArrayList<>();

    @Override
    public List<TrackedOtp> claimUndelivered(Instant sentAfter, int limit) {
      this.sentAfter.add(sentAfter);
      List<TrackedOtp> claimed = new ArrayList<>();
      TrackedOtp next;
      while (claimed.size() < limit && (next = toClaim.poll()) != null) {
        claimed.add(next);
      }
      return claimed;
    }

    @Override
    public FeedbackListener deliveryListener() {
      return FeedbackListener.NOOP;
    }

    @Override
    public boolean insertIfAbsent(TrackedOtp record) {
      return delegate.insertIfAbsent(record);
    }

    @Override
    public Optional<TrackedOtp> find(UUID umid) {
      return delegate.find(umid);
    }

    @Override
    public boolean compareAndSet(TrackedOtp expected, TrackedOtp updated) {
      return delegate.compareAndSet(expected, updated);
    }

    @Override
    public List<TrackedOtp> findDueForAbandonment(Instant now, int limit) {
      return delegate.findDueForAbandonment(now, limit);
    }

    @Override
    public int purgeFinishedBefore(Instant sentBefore, int limit) {
      return delegate.purgeFinishedBefore(sentBefore, limit);
    }

    @Override
    public int evictOldestFinished(int limit) {
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
