package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;

/**
 * An SMS pumping storm: {@code otps} OTPs sent evenly over {@code send-seconds}, none verified, so
 * every one is abandoned {@code abandon-after-seconds} after its send and its failure must reach
 * 8x8 before {@code sentAt + validity} (15 min, the default). The testkit simulator adds 200 ms to
 * every answer and answers the first attempt of every tenth umid 429 with {@code Retry-After: 1},
 * or, with {@code random-429-percent}, that share of all requests (retries included, seeded:
 * {@code SmsApiSimulator.applyRandomly}, 2026-12-04 and later).
 * Reporter and tracker with default settings but {@code abandon-after}. Prints delivered, expired
 * and dropped, and the peak heap of the JVM (simulator included). Self-contained ({@link #main}) so
 * that the same file can be compiled against main. Loopback only; stops by itself after the last
 * abandonment plus {@code cap-seconds}.
 *
 * <p>{@code java -cp benchmarks.jar io.smsfeedback.benchmarks.load.Storm otps send-seconds
 * abandon-after-seconds cap-seconds [random-429-percent]}
 */
public final class Storm {

  private Storm() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    int otps = Integer.parseInt(args[0]);
    Duration sendOver = Duration.ofSeconds(Long.parseLong(args[1]));
    Duration abandonAfter = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration cap = Duration.ofSeconds(Long.parseLong(args[3]));
    int randomPercent = args.length > 4 ? Integer.parseInt(args[4]) : -1;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.out.println(
        f(
            "# storm, %s, %d cpu(s), max heap %d MiB: %d OTPs over %d s, none verified,"
                + " abandon-after %d s, 200 ms per answer, 429 + Retry-After: 1 %s;"
                + " default settings otherwise (queue %d, max-concurrent-requests %d)",
            Instant.now(), Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20, otps, sendOver.toSeconds(),
            abandonAfter.toSeconds(),
            randomPercent < 0
                ? "on the first attempt of every 10th umid"
                : "on a random " + randomPercent + " % of all requests",
            FeedbackSettings.DEFAULT_QUEUE_CAPACITY,
            FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS));
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(4096).build()) {
      Duration rtt = Duration.ofMillis(200);
      sim.alwaysApply(Fault.latency(rtt));
      SentOtp[] sent = Fixtures.otps(4242, otps, Instant.now());
      Fault limited = Fault.tooManyRequests(Duration.ofSeconds(1)).withLatency(rtt);
      if (randomPercent >= 0) {
        sim.applyRandomly(limited, randomPercent / 100.0, 4242);
      } else {
        for (int i = 0; i < otps; i += 10) {
          sim.faultsForUmid(sent[i].umid(), limited);
        }
      }
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(sim.apiKey())
              .subAccountId(Fixtures.SUB_ACCOUNT)
              .baseUrl(sim.baseUri())
              .abandonAfter(abandonAfter)
              .shutdownTimeout(Duration.ZERO) // only the teardown: not measured
              .build();
      FeedbackReporter reporter = FeedbackReporter.create(settings);
      ConversionTracker tracker = ConversionTracker.builder(settings, reporter).build();
      long peak = 0;
      long maxQueued = 0;
      long maxInFlight = 0;
      try {
        long start = System.nanoTime();
        long perOtp = sendOver.toNanos() / otps;
        for (int i = 0; i < otps; i++) {
          long due = start + i * perOtp;
          while (System.nanoTime() < due) {
            Thread.onSpinWait();
            if (due - System.nanoTime() > 2_000_000) {
              Thread.sleep(1); // pacing the sends, not synchronising
            }
          }
          SentOtp otp = sent[i];
          tracker.sent(new SentOtp(otp.subAccountId(), otp.umid(), Instant.now()));
          if ((i & 1023) == 0) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            maxInFlight = Math.max(maxInFlight, reporter.stats().inFlight());
          }
        }
        long stopAt = System.nanoTime() + abandonAfter.toNanos() + cap.toNanos();
        ReporterStats s = reporter.stats();
        TrackerStats t = tracker.stats();
        while (System.nanoTime() < stopAt) {
          Thread.sleep(100);
          peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
          s = reporter.stats();
          t = tracker.stats();
          maxQueued = Math.max(maxQueued, s.queued());
          maxInFlight = Math.max(maxInFlight, s.inFlight());
          if (t.pending() == 0 && s.queued() == 0 && s.inFlight() == 0) {
            break;
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var c = sim.conversion();
        System.out.println(
            f(
                "abandoned %d of %d; reporter: delivered %d, expired %d, dropped %d (queue full"
                    + " %d), queued %d, in flight %d, balanced=%s; tracker: still pending %d,"
                    + " expired %d; simulator received %d; max queued %d, max"
                    + " in flight %d; %.1f s from the first send; peak heap used %d MiB",
                t.failuresAbandoned(), otps, s.delivered(), s.expired(), s.dropped(),
                s.droppedQueueFull(), s.queued(), s.inFlight(), s.balanced(), t.pending(),
                t.expired(), c.successes() + c.failures(), maxQueued,
                maxInFlight, seconds, peak >> 20));
      } finally {
        tracker.close();
        reporter.close();
      }
    }
  }
}
