package io.smsfeedback.internal.tracker;

import static io.smsfeedback.internal.tracker.TrackerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.Feedback;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.store.TrackingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads send, verify, mistype and resend thousands of umids (the same umid from several
 * threads at once) while another thread moves the manual clock and runs the abandonment scan. Each
 * umid has a script whose right outcome does not depend on the interleaving, so the test can demand
 * exactly one outcome per umid, and the right one.
 */
class ConversionTrackerConcurrencyTest {

  private static final int THREADS = 8;
  private static final int PER_GROUP = 600;
  private static final Duration TICKER_CAP = Duration.ofMinutes(5);

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(THREADS + 1);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void concurrentSignalsAndScans_decideEachUmidExactlyOnce_withTheRightOutcome() throws Exception {
    try (TrackerFixture f = new TrackerFixture(s -> s.maxAttempts(3))) {
      Map<UUID, TrackingState> expected = new HashMap<>();
      List<Runnable> sends = new ArrayList<>();
      List<Runnable> signals = new ArrayList<>();
      Map<Signal, LongAdder> signalCounts = new ConcurrentHashMap<>();
      Workload w = new Workload(f, signalCounts);
      List<SentOtp> lateAbandoned = new ArrayList<>();
      List<UUID> purged = new ArrayList<>();

      for (int i = 0; i < PER_GROUP; i++) {
        // verified twice (double submit) racing two wrong codes (below max-attempts): success
        SentOtp verified = otp(T0);
        expected.put(verified.umid(), TrackingState.VERIFIED);
        sends.add(w.send(verified));
        signals.addAll(List.of(w.verify(verified), w.verify(verified), w.wrong(verified), w.wrong(verified)));

        // resent: the old umid is superseded (twice, racing a wrong code), the new one verified
        // twice, its send racing its verifications (a verification first adopts it): old failure,
        // new success
        SentOtp old = otp(T0);
        SentOtp replacement = otp(T0);
        expected.put(old.umid(), TrackingState.SUPERSEDED);
        expected.put(replacement.umid(), TrackingState.VERIFIED);
        sends.add(w.send(old));
        signals.addAll(
            List.of(
                w.wrong(old),
                w.supersede(old),
                w.supersede(old),
                w.send(replacement),
                w.verify(replacement),
                w.verify(replacement)));

        // four wrong codes at once with max-attempts 3: the third is the failure, the fourth a
        // duplicate
        SentOtp mistyped = otp(T0);
        expected.put(mistyped.umid(), TrackingState.MAX_ATTEMPTS);
        sends.add(w.send(mistyped));
        signals.addAll(List.of(w.wrong(mistyped), w.wrong(mistyped), w.wrong(mistyped), w.wrong(mistyped)));

        // never sent here (say, before a restart): three verifications race to adopt it
        SentOtp adopted = otp(T0);
        expected.put(adopted.umid(), TrackingState.VERIFIED);
        signals.addAll(List.of(w.verify(adopted), w.verify(adopted), w.verify(adopted)));

        // due for abandonment from the start: the scan races a wrong code; failure either way
        SentOtp due = otp(T0.minus(Duration.ofMinutes(10)));
        expected.put(due.umid(), TrackingState.ABANDONED);
        purged.add(due.umid());
        sends.add(w.send(due));
        signals.add(w.wrong(due));

        // only a wrong code: abandoned at exactly sentAt + 10m, after the concurrent phase
        SentOtp idle = otp(T0);
        expected.put(idle.umid(), TrackingState.ABANDONED);
        lateAbandoned.add(idle);
        sends.add(w.send(idle));
        signals.add(w.wrong(idle));
      }
      Collections.shuffle(sends, new Random(42));
      Collections.shuffle(signals, new Random(43));

      runConcurrently(sends, null);
      assertThat(f.tracker.stats().pending()).isEqualTo(5L * PER_GROUP);
      runConcurrently(signals, f);
      Instant concurrentPhaseEnd = f.now();
      f.advanceTo(Duration.ofMinutes(11));

      Set<UUID> lateAbandonedUmids = new HashSet<>();
      lateAbandoned.forEach(o -> lateAbandonedUmids.add(o.umid()));
      Map<UUID, Feedback> reported = f.reporter.byUmid(); // fails on a umid reported twice
      assertThat(f.reporter.received()).hasSize(expected.size());
      assertThat(reported.keySet()).isEqualTo(expected.keySet());
      for (Map.Entry<UUID, TrackingState> e : expected.entrySet()) {
        Feedback feedback = reported.get(e.getKey());
        assertThat(feedback.outcome()).as("outcome of %s", e.getKey()).isEqualTo(e.getValue().outcome());
        if (!purged.contains(e.getKey())) {
          assertThat(f.store.find(e.getKey()).orElseThrow().state())
              .as("state of %s", e.getKey())
              .isEqualTo(e.getValue());
        }
        if (!lateAbandonedUmids.contains(e.getKey())) {
          assertThat(feedback.actedAt())
              .as("timestamp of %s", e.getKey())
              .isBetween(T0, concurrentPhaseEnd.plusSeconds(1));
        }
      }
      for (UUID umid : purged) {
        assertThat(f.store.find(umid)).as("finished and past its window: forgotten").isEmpty();
      }
      for (SentOtp idle : lateAbandoned) {
        assertThat(reported.get(idle.umid()).actedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
      }

      TrackerStats stats = f.tracker.stats();
      Map<TrackingState, Long> byState = new EnumMap<>(TrackingState.class);
      expected.values().forEach(s -> byState.merge(s, 1L, Long::sum));
      assertThat(stats.successes()).isEqualTo(byState.get(TrackingState.VERIFIED));
      assertThat(stats.failuresSuperseded()).isEqualTo(byState.get(TrackingState.SUPERSEDED));
      assertThat(stats.failuresMaxAttempts()).isEqualTo(byState.get(TrackingState.MAX_ATTEMPTS));
      assertThat(stats.failuresAbandoned()).isEqualTo(byState.get(TrackingState.ABANDONED));
      assertThat(stats.pending()).isZero();
      assertThat(stats.tracked()).isEqualTo(expected.size() - purged.size());
      assertThat(stats.adopted()).isBetween((long) PER_GROUP, 2L * PER_GROUP);
      assertThat(stats.errors() + stats.overCapacity() + stats.tooLate() + stats.afterClose()).isZero();
      assertThat(signalCounts.keySet())
          .containsOnly(Signal.APPLIED, Signal.ATTEMPT_COUNTED, Signal.DUPLICATE);
      // every call's signal agrees with the counters: 5 sends per script row in the first phase,
      // 5 outcomes decided by signals, and each replacement's send is APPLIED unless a
      // verification adopted the umid first
      assertThat(count(signalCounts, Signal.APPLIED) + stats.adopted()).isEqualTo(12L * PER_GROUP);
      assertThat(count(signalCounts, Signal.ATTEMPT_COUNTED))
          .isEqualTo(stats.wrongCodes() - stats.failuresMaxAttempts());
      assertThat(count(signalCounts, Signal.DUPLICATE)).isEqualTo(stats.duplicates());
    }
  }

  /**
   * Runs {@code tasks} on {@link #THREADS} threads released at once; if {@code ticking} is given,
   * another thread moves its clock in 100ms steps (running the scans) until the tasks are done or
   * the clock reaches {@code T0 + 5m}.
   */
  private void runConcurrently(List<Runnable> tasks, TrackerFixture ticking) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      List<Runnable> slice = tasks.subList(t * tasks.size() / THREADS, (t + 1) * tasks.size() / THREADS);
      workers.add(
          pool.submit(
              () -> {
                await(start);
                slice.forEach(Runnable::run);
                return null;
              }));
    }
    Future<?> ticker = null;
    if (ticking != null) {
      ticker =
          pool.submit(
              () -> {
                await(start);
                while (!done.get() && ticking.now().isBefore(T0.plus(TICKER_CAP))) {
                  ticking.scheduler.advance(Duration.ofMillis(100));
                }
                return null;
              });
    }
    start.countDown();
    try {
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
    } finally {
      done.set(true);
    }
    if (ticker != null) {
      ticker.get(30, TimeUnit.SECONDS);
    }
  }

  private static void await(CountDownLatch start) throws InterruptedException {
    if (!start.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not started");
    }
  }

  private static long count(Map<Signal, LongAdder> counts, Signal signal) {
    LongAdder n = counts.get(signal);
    return n == null ? 0 : n.sum();
  }

  private static SentOtp otp(Instant sentAt) {
    return TrackerFixture.otp(sentAt);
  }

  /** Calls on the tracker, each recording the signal it returned. */
  private record Workload(TrackerFixture f, Map<Signal, LongAdder> counts) {
    Runnable send(SentOtp otp) {
      return () -> record(f.tracker.sent(otp));
    }

    Runnable verify(SentOtp otp) {
      return () -> record(f.tracker.verified(otp, f.now()));
    }

    Runnable wrong(SentOtp otp) {
      return () -> record(f.tracker.wrongCode(otp, f.now()));
    }

    Runnable supersede(SentOtp otp) {
      return () -> record(f.tracker.superseded(otp, f.now()));
    }

    private void record(Signal signal) {
      counts.computeIfAbsent(signal, s -> new LongAdder()).increment();
    }
  }
}
