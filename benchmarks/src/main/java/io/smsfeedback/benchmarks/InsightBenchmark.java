package io.smsfeedback.benchmarks;

import io.smsfeedback.ConversionListener;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.benchmarks.support.CountingReporter;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.store.TrackingState;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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

/**
 * Conversion insight's cost on the request path (issue #17). {@code statsOnly}: what {@link
 * ConversionStats} adds per OTP, alone: note its destination, count its send, count its success
 * with its time to verify (one thread, and two threads on one instance). {@code tracker}: one OTP's
 * life through a tracker ({@code sent} then {@code verified}, a reporter that only counts) without
 * a listener and with the statistics as its listener, so the difference is the hook's cost.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InsightBenchmark {

  static final int BATCH = 10_000;
  static final String[] CODES = {"65", "44", "1", "91", "62", "882"};

  @State(Scope.Benchmark)
  public static class Shared {
    ConversionStats stats;

    @Setup(Level.Trial)
    public void stats() {
      stats = ConversionStats.create();
    }
  }

  @State(Scope.Thread)
  public static class Otps {
    SentOtp[] otps;
    Instant verifiedAt;
    int next;

    @Setup(Level.Trial)
    public void otps() {
      Instant now = Instant.now();
      otps = Fixtures.otps(Thread.currentThread().getId(), 4096, now);
      verifiedAt = now.plusSeconds(40);
    }
  }

  /** Destination, send and success of one OTP in the statistics alone. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public void statsOnly(Shared s, Otps o) {
    int i = o.next++ & (o.otps.length - 1);
    SentOtp otp = o.otps[i];
    s.stats.destination(otp.umid(), CODES[i % CODES.length]);
    s.stats.tracked(otp);
    s.stats.decided(otp, TrackingState.VERIFIED, o.verifiedAt);
  }

  /** As {@link #statsOnly}, two threads on one instance (contention on the shared counters). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Threads(2)
  public void statsOnlyTwoThreads(Shared s, Otps o) {
    statsOnly(s, o);
  }

  @State(Scope.Thread)
  public static class Fresh {
    /** {@code none}: no listener. {@code stats}: {@link ConversionStats} as the listener. */
    @Param({"none", "stats"})
    public String listener;

    SentOtp[] otps;
    Instant actedAt;
    ConversionStats stats;
    ConversionTracker tracker;
    int next;

    @Setup(Level.Trial)
    public void otps() {
      Instant now = Instant.now();
      otps = Fixtures.otps(7, BATCH, now);
      actedAt = now.plusMillis(1);
    }

    @Setup(Level.Iteration)
    public void pipeline() {
      FeedbackSettings settings = Fixtures.settings().queueCapacity(100_000).build();
      stats = ConversionStats.create();
      ConversionListener chosen = listener.equals("stats") ? stats : ConversionListener.NOOP;
      tracker =
          ConversionTracker.builder(settings, new CountingReporter()).listener(chosen).build();
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void check() {
      tracker.close();
      if (tracker.stats().successes() != BATCH) {
        throw new IllegalStateException("expected " + BATCH + " successes: " + tracker.stats());
      }
    }
  }

  /** {@code sent} then {@code verified} of one OTP, the destination noted first with stats. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 20, batchSize = BATCH)
  @Measurement(iterations = 30, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public Signal tracker(Fresh f) {
    int i = f.next++;
    SentOtp otp = f.otps[i];
    if (f.listener.equals("stats")) {
      f.stats.destination(otp.umid(), CODES[i % CODES.length]);
    }
    f.tracker.sent(otp);
    return f.tracker.verified(otp, f.actedAt);
  }
}
