package io.smsfeedback.benchmarks;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.benchmarks.support.InstantTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code FeedbackReporter.report()}: the offer on the request thread.
 *
 * <p>{@code report}/{@code report2Threads}: each measured iteration offers a batch of {@value
 * #BATCH} distinct feedbacks per thread into a fresh reporter (so no umid is a duplicate and the
 * queue, sized {@value #CAPACITY}, is never full: we measure the offer, not the overflow path). The
 * reporter runs for real: its dispatcher drains concurrently into an in-process transport that
 * answers 200 at once, so the offers compete with the dispatcher (for its locks and the CPUs) as
 * they would under load. Score: time per {@code report()} call.
 *
 * <p>{@code reportToIdleReporter}: one {@code report()} into a reporter that delivered every earlier
 * feedback, its thread {@code parked} (the cost a low-traffic app pays, including waking the
 * dispatcher thread) or just done ({@code delivered}). Timed per call (JMH {@code
 * Level.Invocation}), so the score includes about two {@code System.nanoTime()} calls.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReporterBenchmark {

  static final int BATCH = 10_000;
  static final int CAPACITY = 100_000;

  /** A fresh reporter per iteration, pre-made feedbacks per thread. */
  @State(Scope.Benchmark)
  public static class Fresh {
    Feedback[][] perThread;
    final AtomicInteger threadIds = new AtomicInteger();
    FeedbackReporter reporter;
    InstantTransport transport;

    @Setup(Level.Trial)
    public void feedbacks(BenchmarkParams params) {
      feedbacks(params.getThreads());
    }

    void feedbacks(int threads) {
      Instant now = Instant.now();
      perThread = new Feedback[threads][];
      for (int t = 0; t < perThread.length; t++) {
        perThread[t] = Fixtures.feedbacks(t + 1, BATCH, now);
      }
    }

    ScheduledThreadPoolExecutor dispatcher;
    CountDownLatch paused;

    /**
     * {@code draining}: the reporter's own dispatcher delivers while we offer. {@code paused}: the
     * dispatcher's thread is held for the whole iteration and the reporter is then discarded
     * undrained: only the offers run (the pure cost of queueing, without a dispatcher competing
     * for the lock or the CPU), and {@code gc.alloc.rate.norm} is the offer's own allocation. In
     * {@code draining} it also holds the dispatcher's allocation for delivering each feedback.
     */
    @Param({"draining", "paused"})
    public String dispatcherState;

    @Setup(Level.Iteration)
    public void reporter() {
      transport = new InstantTransport();
      FeedbackReporter.Builder builder =
          FeedbackReporter.builder(Fixtures.settings().queueCapacity(CAPACITY).build())
              .transport(transport);
      paused = null;
      dispatcher = null;
      if (dispatcherState.equals("paused")) {
        dispatcher = new ScheduledThreadPoolExecutor(1);
        CountDownLatch latch = new CountDownLatch(1);
        paused = latch;
        dispatcher.execute(
            () -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
        builder.scheduler(dispatcher);
      }
      reporter = builder.build();
    }

    @TearDown(Level.Iteration)
    public void check() {
      long expected = (long) BATCH * perThread.length;
      if (dispatcher != null) {
        // Paused: drop the reporter undrained (its thread is interrupted, its queue discarded),
        // so that no delivery work lands in this iteration's allocation figures.
        ReporterStats s = reporter.stats();
        if (s.accepted() != expected || s.queued() != expected) {
          throw new IllegalStateException("expected " + expected + " queued: " + s);
        }
        dispatcher.shutdownNow();
        return;
      }
      if (!reporter.flush(Duration.ofSeconds(30))) {
        throw new IllegalStateException("reporter did not drain: " + reporter.stats());
      }
      ReporterStats s = reporter.stats();
      if (s.accepted() != expected || s.delivered() != expected || !s.balanced()) {
        throw new IllegalStateException("expected " + expected + " delivered: " + s);
      }
      reporter.close();
    }
  }

  /** Which thread's feedbacks, and the next one. */
  @State(Scope.Thread)
  public static class Cursor {
    int thread;
    int next;

    @Setup(Level.Trial)
    public void thread(Fresh fresh) {
      thread = fresh.threadIds.getAndIncrement() % fresh.perThread.length;
    }

    @Setup(Level.Iteration)
    public void rewind() {
      next = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 40, batchSize = BATCH)
  @Measurement(iterations = 60, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public boolean report(Fresh fresh, Cursor cursor) {
    return fresh.reporter.report(fresh.perThread[cursor.thread][cursor.next++]);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 40, batchSize = BATCH)
  @Measurement(iterations = 60, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  @Threads(2)
  public boolean report2Threads(Fresh fresh, Cursor cursor) {
    return fresh.reporter.report(fresh.perThread[cursor.thread][cursor.next++]);
  }

  /** One reporter for the trial; before each call, everything earlier is delivered. */
  @State(Scope.Thread)
  public static class Idle {
    /**
     * {@code parked}: before each call we also wait {@value #QUIET_MS} ms, longer than the reporter
     * lingers after a drain, and check that its thread is parked: the report has to wake it, the
     * cost after a quiet spell. {@code delivered}: the call comes as soon as the previous feedback
     * was delivered (a reporter that lingers for more reports is still awake then).
     */
    @Param({"parked", "delivered"})
    public String dispatcher;

    static final int QUIET_MS = 50;
    static final int WARM_UP = 50_000;

    FeedbackReporter reporter;
    volatile Thread dispatcherThread;
    SentOtp otp;
    Feedback next;
    long i;

    /**
     * Also offers {@value #WARM_UP} feedbacks in a burst: at one call per quiet spell the
     * measured calls alone would never get {@code report()} compiled.
     */
    @Setup(Level.Trial)
    public void reporter() {
      FeedbackSettings settings = Fixtures.settings().queueCapacity(CAPACITY).build();
      reporter =
          FeedbackReporter.builder(settings)
              .transport(new InstantTransport())
              .addListener(
                  new FeedbackListener() {
                    @Override
                    public void onTerminal(DeliveryEvent event) {
                      dispatcherThread = Thread.currentThread(); // listeners run on it
                    }
                  })
              .build();
      for (Feedback f : Fixtures.feedbacks(98, WARM_UP, Instant.now())) {
        reporter.report(f);
      }
      if (!reporter.flush(Duration.ofSeconds(60))) {
        throw new IllegalStateException("reporter did not drain: " + reporter.stats());
      }
    }

    @Setup(Level.Invocation)
    public void idle() throws InterruptedException {
      if (!reporter.flush(Duration.ofSeconds(10))) {
        throw new IllegalStateException("reporter did not drain: " + reporter.stats());
      }
      if (dispatcher.equals("parked")) {
        Thread.sleep(QUIET_MS);
        Thread.State state = dispatcherThread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
          throw new IllegalStateException("dispatcher not parked: " + state);
        }
      }
      Instant now = Instant.now();
      otp = new SentOtp(Fixtures.SUB_ACCOUNT, Fixtures.umid(99, i++), now);
      next = new Feedback(otp, Outcome.SUCCESS, now);
    }

    @TearDown(Level.Trial)
    public void close() {
      reporter.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public boolean reportToIdleReporter(Idle idle) {
    return idle.reporter.report(idle.next);
  }
}
