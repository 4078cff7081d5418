package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.smsfeedback.testkit.TlsFront;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * HTTP/2 against HTTP/1.1, both over TLS: the reporter (default settings) delivers {@code n}
 * feedbacks at once through the testkit's {@link TlsFront} (Jetty 12, h2 with 100 streams per
 * connection, or http/1.1 only) to the simulator, which adds {@code latency} to every answer.
 * Prints feedbacks/s (whole run and steady, between a quarter and three quarters delivered), the
 * TLS connections the front accepted, and the process's CPU per feedback (client, front and
 * simulator together: a comparison between the modes, not the client's own cost). Rounds
 * alternate h2 and http/1.1. Loopback only.
 *
 * <p>{@code java -cp benchmarks.jar io.smsfeedback.benchmarks.load.Http2Delivery feedbacks
 * rounds latencies-ms...}
 */
public final class Http2Delivery {

  private Http2Delivery() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int n = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    System.out.println(
        f(
            "# http2 vs http/1.1 over TLS, %s, %d cpu(s): %d feedbacks at once, default settings"
                + " (max-concurrent-requests %d), %d rounds",
            Instant.now(), Runtime.getRuntime().availableProcessors(), n,
            FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS, rounds));
    long seed = 9000;
    for (int a = 2; a < args.length; a++) {
      long ms = Long.parseLong(args[a]);
      for (int round = 0; round < rounds; round++) {
        for (boolean h2 : new boolean[] {true, false}) {
          run(n, Duration.ofMillis(ms), h2, seed++);
        }
      }
    }
  }

  private static void run(int n, Duration latency, boolean h2, long seed) throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(4096).build();
        TlsFront front = h2 ? TlsFront.start(sim) : TlsFront.http11Only(sim)) {
      if (!latency.isZero()) {
        sim.alwaysApply(Fault.latency(latency));
      }
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(sim.apiKey())
              .subAccountId(Fixtures.SUB_ACCOUNT)
              .baseUrl(front.baseUri())
              .sslContext(front.clientSslContext())
              .queueCapacity(Math.max(n, FeedbackSettings.DEFAULT_QUEUE_CAPACITY))
              .shutdownTimeout(Duration.ZERO)
              .build();
      Feedback[] feedbacks = Fixtures.feedbacks(seed, n, Instant.now());
      FeedbackReporter reporter = FeedbackReporter.create(settings);
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      try {
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (Feedback feedback : feedbacks) {
          reporter.report(feedback);
        }
        NetworkDelivery.Progress p =
            NetworkDelivery.await(reporter, n, start + Duration.ofSeconds(120).toNanos(), 5);
        ReporterStats s = p.stats();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / Math.max(1, s.delivered());
        String steady = p.steady(n);
        System.out.println(
            f(
                "%-8s latency %3d ms  delivered %6d of %d in %6.2f s  %7.0f /s (steady %s /s)"
                    + "  TLS connections %4d  process CPU %6.1f us/feedback  requests %s"
                    + "  balanced=%s",
                h2 ? "h2" : "http/1.1", latency.toMillis(), s.delivered(), n, seconds,
                s.delivered() / seconds, steady, front.connectionsOpened(), cpuMicros,
                front.requestsByProtocol(), s.balanced()));
      } finally {
        reporter.close();
      }
    }
  }
}
