package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Delivery over a (simulated) network: the testkit simulator adds a fixed latency to every answer
 * (its latency fault) and the reporter runs with default settings but the given latency; reports
 * {@code n} feedbacks at once (at most the default queue), then waits up to {@code cap} for them.
 * Feedbacks/s = delivered ÷ time from the first report to the last delivery (or the cap), the
 * start-up of the concurrency limit included. The network limit is {@code max-concurrent-requests
 * ÷ latency}. Self-contained ({@link #main}) so that the same file can be compiled against another
 * checkout of the library (main) and compared in the same run. Loopback only; stops by itself.
 *
 * <p>{@code java -cp benchmarks.jar io.smsfeedback.benchmarks.load.NetworkDelivery [feedbacks]
 * [cap-seconds] [latencies-ms...]}
 */
public final class NetworkDelivery {

  private NetworkDelivery() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int n = args.length > 0 ? Integer.parseInt(args[0]) : FeedbackSettings.DEFAULT_QUEUE_CAPACITY;
    Duration cap = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
    long[] latencies = {50, 200, 300};
    if (args.length > 2) {
      latencies = new long[args.length - 2];
      for (int i = 2; i < args.length; i++) {
        latencies[i - 2] = Long.parseLong(args[i]);
      }
    }
    run(n, cap, latencies, System.out);
  }

  static void run(int n, Duration cap, long[] latenciesMs, PrintStream out) throws Exception {
    int ceiling = FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS;
    out.println(
        f(
            "# network delivery, %s, %d cpu(s): %d feedbacks at once, default settings"
                + " (max-concurrent-requests %d), cap %d s",
            Instant.now(), Runtime.getRuntime().availableProcessors(), n, ceiling, cap.toSeconds()));
    long seed = 7000;
    for (long ms : latenciesMs) {
      Duration latency = Duration.ofMillis(ms);
      try (SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(4096).build()) {
        sim.alwaysApply(Fault.latency(latency));
        FeedbackSettings settings =
            FeedbackSettings.builder()
                .apiKey(sim.apiKey())
                .subAccountId(Fixtures.SUB_ACCOUNT)
                .baseUrl(sim.baseUri())
                .shutdownTimeout(Duration.ZERO) // only the teardown: not measured
                .build();
        Feedback[] feedbacks = Fixtures.feedbacks(seed++, n, Instant.now());
        FeedbackReporter reporter = FeedbackReporter.create(settings);
        try {
          long start = System.nanoTime();
          for (Feedback feedback : feedbacks) {
            reporter.report(feedback);
          }
          Progress p = await(reporter, n, start + cap.toNanos(), 10);
          ReporterStats s = p.stats();
          double seconds = (System.nanoTime() - start) / 1e9;
          double perSecond = s.delivered() / seconds;
          String steady = p.steady(n);
          double networkLimit = ceiling / (ms / 1e3);
          out.println(
              f(
                  "latency %3d ms  delivered %6d of %d in %6.2f s  %7.0f /s (steady %s /s)"
                      + "  network limit %7.0f /s  share %5.1f%%  limit now %s  dropped=%d"
                      + " expired=%d balanced=%s",
                  ms, s.delivered(), n, seconds, perSecond, steady, networkLimit,
                  100 * perSecond / networkLimit, limitNow(reporter), s.dropped(),
                  s.expired(), s.balanced()));
        } finally {
          reporter.close();
        }
      }
    }
  }

  /**
   * What {@link #await} saw: the last counters, and when a quarter and three quarters of the
   * feedbacks were delivered ({@code System.nanoTime()}, 0 if never).
   */
  record Progress(ReporterStats stats, long quarter, long threeQuarters) {
    /** Feedbacks/s between a quarter and three quarters delivered: without the start-up. */
    String steady(int n) {
      return threeQuarters == 0 ? "n/a" : f("%.0f", (n / 2.0) / ((threeQuarters - quarter) / 1e9));
    }
  }

  /**
   * Polls {@code reporter}'s counters every {@code pollMillis} until all {@code n} feedbacks ended
   * or {@code capAt} ({@code System.nanoTime()}) passed. Polling a benchmark's progress, not
   * synchronising a test.
   */
  static Progress await(FeedbackReporter reporter, int n, long capAt, long pollMillis)
      throws InterruptedException {
    long quarter = 0;
    long threeQuarters = 0;
    ReporterStats s = reporter.stats();
    while (s.delivered() + s.rejected() + s.expired() + s.dropped() < n
        && System.nanoTime() < capAt) {
      Thread.sleep(pollMillis);
      s = reporter.stats();
      long now = System.nanoTime();
      if (quarter == 0 && s.delivered() >= n / 4) {
        quarter = now;
      }
      if (threeQuarters == 0 && s.delivered() >= 3L * n / 4) {
        threeQuarters = now;
      }
    }
    return new Progress(s, quarter, threeQuarters);
  }

  /** The adaptive limit, where the library has one (not on versions before issue #18). */
  private static String limitNow(FeedbackReporter reporter) {
    try {
      return String.valueOf(reporter.getClass().getMethod("concurrencyLimit").invoke(reporter));
    } catch (ReflectiveOperationException e) {
      return "fixed";
    }
  }
}
