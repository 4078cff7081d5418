package io.smsfeedback.benchmarks;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.benchmarks.support.CountingReporter;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.benchmarks.support.InstantTransport;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ConversionTracker}: one OTP's life on the request threads, {@code sent(otp)} then {@code
 * verified(otp, at)}, which decides success and hands the feedback to a real reporter (in-process
 * transport, dispatcher draining concurrently), or to one that only counts. In-memory store, default settings but queue
 * capacity. Each measured iteration runs a batch of {@value #BATCH} distinct OTPs through a fresh
 * tracker and reporter. Score: time per OTP (both calls).
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrackerBenchmark {

  static final int BATCH = 10_000;

  @State(Scope.Thread)
  public static class Fresh {
    /**
     * {@code real}: the default reporter (in-process transport, its dispatcher thread draining).
     * {@code counting}: a reporter that only counts, to show the tracker's own cost.
     */
    @Param({"real", "counting"})
    public String reporterKind;

    SentOtp[] otps;
    Instant actedAt;
    FeedbackReporter reporter;
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
      reporter =
          reporterKind.equals("counting")
              ? new CountingReporter()
              : FeedbackReporter.builder(settings).transport(new InstantTransport()).build();
      tracker = ConversionTracker.create(settings, reporter);
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void check() {
      tracker.close();
      if (!reporter.flush(Duration.ofSeconds(30))) {
        throw new IllegalStateException("reporter did not drain: " + reporter.stats());
      }
      ReporterStats s = reporter.stats();
      if (s.delivered() != BATCH || tracker.stats().successes() != BATCH) {
        throw new IllegalStateException(
            "expected " + BATCH + " successes delivered: " + s + " " + tracker.stats());
      }
      reporter.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 40, batchSize = BATCH)
  @Measurement(iterations = 60, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public Signal sentThenVerified(Fresh f) {
    SentOtp otp = f.otps[f.next++];
    f.tracker.sent(otp);
    return f.tracker.verified(otp, f.actedAt);
  }
}
