package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real threads reporting at once into the reporter: nothing lost while its own dispatcher keeps
 * draining to empty and going idle, every {@code stats()} snapshot balanced while reports and
 * deliveries run (the two locks), and the intake's exact capacity and duplicate counts. The exact
 * interleaving of a report with a drain that is finishing is pinned by {@code
 * DefaultFeedbackReporterTest.Waking}.
 */
class ReporterConcurrencyTest {

  private static final int THREADS = 3;

  private ExecutorService pool;
  private final List<DefaultFeedbackReporter> reporters = new ArrayList<>();

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(THREADS + 1);
  }

  @AfterEach
  void stop() throws InterruptedException {
    reporters.forEach(DefaultFeedbackReporter::closeAsync); // a manual scheduler nobody runs: no wait
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  static FeedbackSettings settings(int capacity) {
    return FeedbackSettings.builder()
        .apiKey("test-key-0123456789abcdef")
        .subAccountId("acme-otp")
        .baseUrl(URI.create("http://127.0.0.1:9"))
        .queueCapacity(capacity)
        .build();
  }

  static Feedback feedback(Instant sentAt) {
    return new Feedback(
        new SentOtp("acme-otp", UUID.randomUUID(), sentAt), Outcome.SUCCESS, sentAt);
  }

  /** Answers 200 at once, on the calling (dispatcher) thread. */
  static final class AnswersAtOnce implements FeedbackTransport {
    final LongAdder sends = new LongAdder();

    @Override
    public CompletableFuture<TransportResult> send(Feedback feedback, Duration timeout) {
      sends.increment();
      return CompletableFuture.completedFuture(TransportResult.delivered(200));
    }

    @Override
    public void close() {}
  }

  /** The reporter with its own dispatcher thread and the given linger time. */
  DefaultFeedbackReporter ownThread(Duration linger, FeedbackTransport transport) {
    DefaultFeedbackReporter r =
        new DefaultFeedbackReporter(
            settings(100_000),
            Clock.systemUTC(),
            null,
            () -> 0.5,
            transport,
            List.<FeedbackListener>of(),
            linger);
    reporters.add(r);
    return r;
  }

  /**
   * Rounds of a few reports from three threads at once, each round starting as soon as the one
   * before was delivered: the dispatcher drains to empty and goes idle again and again while
   * reports arrive. A report that neither woke it nor was seen by it would stay queued: the round's
   * wait for its delivery would time out. Meanwhile another thread checks every snapshot.
   */
  @ParameterizedTest(name = "linger {0} ms")
  @ValueSource(longs = {0, 1})
  void reportsWhileTheDispatcherKeepsGoingIdle_areAllDelivered_andEverySnapshotBalances(
      long lingerMillis) throws Exception {
    AnswersAtOnce transport = new AnswersAtOnce();
    DefaultFeedbackReporter reporter = ownThread(Duration.ofMillis(lingerMillis), transport);
    int rounds = lingerMillis == 0 ? 3_000 : 300;
    CyclicBarrier start = new CyclicBarrier(THREADS + 1);
    CyclicBarrier reported = new CyclicBarrier(THREADS + 1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<ReporterStats> unbalanced = new AtomicReference<>();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(
          pool.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int round = 0; round < rounds; round++) {
                  start.await();
                  int n = 1 + random.nextInt(3);
                  for (int i = 0; i < n; i++) {
                    spin(random.nextInt(20_000)); // spread the reports over the dispatcher's drain
                    assertThat(reporter.report(feedback(Instant.now()))).isTrue();
                  }
                  reported.await();
                }
                return null;
              }));
    }
    Future<?> statsReader =
        pool.submit(
            () -> {
              while (!done.get()) {
                ReporterStats s = reporter.stats();
                if (!s.balanced()) {
                  unbalanced.compareAndSet(null, s);
                }
              }
            });

    for (int round = 0; round < rounds; round++) {
      start.await(10, TimeUnit.SECONDS);
      reported.await(10, TimeUnit.SECONDS);
      long accepted = reporter.stats().accepted();
      await("round " + round + " delivered")
          .atMost(Duration.ofSeconds(5))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> reporter.stats().delivered() == accepted);
    }
    done.set(true);
    for (Future<?> w : workers) {
      w.get(10, TimeUnit.SECONDS);
    }
    statsReader.get(10, TimeUnit.SECONDS);

    assertThat(unbalanced.get()).as("a snapshot that did not balance").isNull();
    ReporterStats s = Accounting.assertBalanced(reporter.stats());
    assertThat(s.delivered()).isEqualTo(s.accepted()).isEqualTo(transport.sends.sum());
    assertThat(s.duplicates() + s.dropped() + s.expired()).isZero();
  }

  @Test
  void concurrentReportsIntoAFullQueue_queueExactlyTheCapacity() throws Exception {
    ManualClock clock = new ManualClock();
    ManualScheduler nobodyRuns = new ManualScheduler(clock);
    DefaultFeedbackReporter reporter =
        new DefaultFeedbackReporter(
            settings(1_000), clock, nobodyRuns, () -> 0.5, new AnswersAtOnce(), List.of());
    reporters.add(reporter);
    LongAdder queued = new LongAdder();

    runTogether(
        () -> {
          for (int i = 0; i < 500; i++) {
            if (reporter.report(feedback(clock.instant()))) {
              queued.increment();
            }
          }
        });

    ReporterStats s = Accounting.assertBalanced(reporter.stats());
    assertThat(queued.sum()).isEqualTo(1_000);
    assertThat(s.queued()).isEqualTo(1_000);
    assertThat(s.accepted()).isEqualTo(THREADS * 500L);
    assertThat(s.droppedQueueFull()).isEqualTo(THREADS * 500L - 1_000);
    assertThat(nobodyRuns.pending()).as("one wake-up for them all").isEqualTo(1);
  }

  @Test
  void theSameUmidsFromSeveralThreads_areAcceptedOnceEach() throws Exception {
    ManualClock clock = new ManualClock();
    DefaultFeedbackReporter reporter =
        new DefaultFeedbackReporter(
            settings(10_000),
            clock,
            new ManualScheduler(clock),
            () -> 0.5,
            new AnswersAtOnce(),
            List.of());
    reporters.add(reporter);
    List<Feedback> shared = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      shared.add(feedback(clock.instant()));
    }
    LongAdder queued = new LongAdder();

    runTogether(
        () -> {
          for (Feedback f : shared) {
            if (reporter.report(f)) {
              queued.increment();
            }
          }
        });

    ReporterStats s = Accounting.assertBalanced(reporter.stats());
    assertThat(queued.sum()).isEqualTo(2_000);
    assertThat(s.accepted()).isEqualTo(2_000);
    assertThat(s.duplicates()).isEqualTo((THREADS - 1) * 2_000L);
  }

  private void runTogether(Runnable work) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      fs.add(
          pool.submit(
              () -> {
                start.await();
                work.run();
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
