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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Delivery throughput over loopback HTTP to the testkit's 8x8 simulator, all in one run: the
 * simulator's own limit (driven by {@link LeanClient}), the reporter, a naive synchronous {@code
 * HttpClient.send} per feedback on the caller's thread, and a thread per feedback.
 */
final class Delivery {

  /** Sizes of one run. */
  record Config(
      boolean warmup,
      int rounds,
      int feedbacks,
      int naiveFeedbacks,
      int limitRequests,
      int maxConcurrentRequests,
      int[] leanConnections,
      int window,
      Duration timeout) {

    static Config full() {
      return new Config(true, 5, 100_000, 5_000, 200_000, 16, new int[] {1, 2, 4}, 128, Duration.ofMinutes(2));
    }

    static Config smoke() {
      return new Config(false, 1, 200, 30, 600, 16, new int[] {2}, 16, Duration.ofSeconds(20));
    }
  }

  /** One variant's result in one round. */
  record Run(
      String name, long n, long ok, long lost, double seconds, double cpuMicros,
      double clientCpuMicros, double jvmCpuMicros, String check) {
    double perSecond() {
      return ok / seconds;
    }

    Run withCheck(String c) {
      return new Run(name, n, ok, lost, seconds, cpuMicros, clientCpuMicros, jvmCpuMicros, c);
    }
  }

  /** CPU per item since {@code start}: {all, client, jvm}, µs. */
  private static double[] cpuPerItem(Cpu start, long n) {
    Map<String, Double> d = Cpu.now().since(start);
    double all = d.values().stream().mapToDouble(Double::doubleValue).sum();
    return new double[] {all / 1e3 / n, d.get(Cpu.CLIENT) / 1e3 / n, d.get(Cpu.JVM) / 1e3 / n};
  }

  private final Config config;
  private final PrintStream out;
  private long seed = 1000;
  /** CPU by thread (ms) of the last reporter run, taken before its threads ended. */
  private String lastReporterThreads = "";
  /** Added by the simulator to every feedback answer (a WAN round trip), or null. */
  private @Nullable Duration latency;

  Delivery(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /** Runs every round; returns the per-variant runs, in order, keyed by variant name. */
  Map<String, List<Run>> run() throws Exception {
    out.println(
        f(
            "# delivery: %d feedbacks through the reporter (max-concurrent-requests %d), %d per naive"
                + " variant, %d for the limit; %d round(s) after a warm-up round",
            config.feedbacks(),
            config.maxConcurrentRequests(),
            config.naiveFeedbacks(),
            config.limitRequests(),
            config.rounds()));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int round = config.warmup() ? 0 : 1; round <= config.rounds(); round++) {
      boolean warmup = round == 0;
      List<Run> these = new ArrayList<>();
      these.add(limit(warmup));
      these.add(reporter(warmup ? config.feedbacks() / 10 : config.feedbacks()));
      these.add(naiveSync(warmup ? config.naiveFeedbacks() / 5 : config.naiveFeedbacks()));
      these.add(threadPerFeedback(warmup ? config.naiveFeedbacks() / 5 : config.naiveFeedbacks()));
      for (Run r : these) {
        out.println(
            f(
                "%s %-22s n=%-7d ok=%-7d lost=%-5d %8.3f s %10.0f /s  cpu %6.1f µs/item (client"
                    + " %6.1f, gc+jit %6.1f)  %s",
                warmup ? "warm-up " : "round " + round + " ",
                r.name(),
                r.n(),
                r.ok(),
                r.lost(),
                r.seconds(),
                r.perSecond(),
                r.cpuMicros(),
                r.clientCpuMicros(),
                r.jvmCpuMicros(),
                r.check()));
        if (!warmup) {
          runs.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
      }
    }
    return runs;
  }

  /** Only the reporter, {@code rounds} times (for profiling). */
  void reporterOnly() throws Exception {
    for (int round = 1; round <= config.rounds(); round++) {
      Run r = reporter(config.feedbacks());
      out.println("  cpu ms by thread: " + lastReporterThreads);
      out.println(
          f("reporter n=%d %.3f s %.0f /s cpu %.1f µs/item (client %.1f, gc+jit %.1f) %s", r.n(),
              r.seconds(), r.perSecond(), r.cpuMicros(), r.clientCpuMicros(), r.jvmCpuMicros(),
              r.check()));
    }
  }

  private SmsApiSimulator simulator() {
    SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(4096).build();
    if (latency != null) {
      sim.alwaysApply(Fault.latency(latency));
    }
    return sim;
  }

  /**
   * The same comparison with {@code latency} added to every answer, as over a real network to 8x8:
   * where the naive ways wait, the reporter overlaps its requests. Smaller counts; rounds as
   * configured.
   */
  Map<String, List<Run>> withLatency(Duration latency, int feedbacks, int naive, int threads)
      throws Exception {
    this.latency = latency;
    out.println(
        f(
            "# delivery with %d ms added by the simulator to each answer: %d feedbacks through the"
                + " reporter, %d naive sync, %d thread per feedback; %d round(s)",
            latency.toMillis(), feedbacks, naive, threads, config.rounds()));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    try {
      for (int round = 1; round <= config.rounds(); round++) {
        for (Run r : List.of(reporter(feedbacks), naiveSync(naive), threadPerFeedback(threads))) {
          out.println(
              f("round %d  %-22s n=%-6d ok=%-6d lost=%-4d %7.3f s %8.0f /s  %s", round, r.name(),
                  r.n(), r.ok(), r.lost(), r.seconds(), r.perSecond(), r.check()));
          runs.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
      }
    } finally {
      this.latency = null;
    }
    return runs;
  }

  /** The simulator's own maximum: the best of the lean client's connection counts. */
  private Run limit(boolean warmup) throws Exception {
    int n = warmup ? config.limitRequests() / 4 : config.limitRequests();
    Run best = null;
    StringBuilder detail = new StringBuilder();
    for (int connections : config.leanConnections()) {
      try (SmsApiSimulator sim = simulator()) {
        byte[][] requests =
            LeanClient.requests(sim.port(), sim.apiKey(), Fixtures.SUB_ACCOUNT, seed++, n);
        Cpu cpu = Cpu.now();
        LeanClient.Result r =
            LeanClient.run(sim.port(), requests, connections, config.window(), config.timeout().toMillis());
        double[] c = cpuPerItem(cpu, n);
        long received = received(sim);
        Run run =
            new Run(
                "limit (lean client)",
                n,
                r.ok(),
                n - received,
                r.nanos() / 1e9,
                c[0],
                c[1],
                c[2],
                "");
        detail.append(f("%dc=%.0f/s ", connections, run.perSecond()));
        if (best == null || run.perSecond() > best.perSecond()) {
          best = run;
        }
      }
      System.gc();
    }
    return best.withCheck(detail.toString().trim());
  }

  private Run reporter(int n) throws Exception {
    try (SmsApiSimulator sim = simulator()) {
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(sim.apiKey())
              .subAccountId(Fixtures.SUB_ACCOUNT)
              .baseUrl(sim.baseUri())
              .queueCapacity(Math.max(n, FeedbackSettings.DEFAULT_QUEUE_CAPACITY))
              .maxConcurrentRequests(config.maxConcurrentRequests())
              .build();
      Feedback[] feedbacks = Fixtures.feedbacks(seed++, n, Instant.now());
      FeedbackReporter reporter = FeedbackReporter.create(settings);
      try {
        Cpu cpu = Cpu.now();
        long start = System.nanoTime();
        for (Feedback feedback : feedbacks) {
          reporter.report(feedback);
        }
        boolean drained = reporter.flush(config.timeout());
        long nanos = System.nanoTime() - start;
        Cpu end = Cpu.now();
        double[] c = cpuPerItem(cpu, n);
        lastReporterThreads = end.top(cpu, 10);
        ReporterStats s = reporter.stats();
        long received = received(sim);
        boolean noDuplicates = noDuplicates(sim);
        String check =
            f(
                "stats: accepted=%d delivered=%d queued=%d inFlight=%d dropped=%d expired=%d"
                    + " rejected=%d balanced=%s drained=%s; simulator received=%d, duplicates=%s",
                s.accepted(),
                s.delivered(),
                s.queued(),
                s.inFlight(),
                s.dropped(),
                s.expired(),
                s.rejected(),
                s.balanced(),
                drained,
                received,
                noDuplicates ? "none" : "SOME");
        boolean clean =
            drained && s.balanced() && s.accepted() == n && s.delivered() == n && received == n
                && noDuplicates;
        return new Run("reporter", n, s.delivered(), n - Math.min(received, s.delivered()),
            nanos / 1e9, c[0], c[1], c[2], (clean ? "OK " : "LOSS ") + check);
      } finally {
        reporter.close();
      }
    }
  }

  private static HttpClient jdkClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** What a hand-written integration does: one blocking POST per feedback. */
  static int postFeedback(HttpClient client, URI uri, String apiKey, Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"outcome\":\"success\",\"timestamp\":\"2026-01-01T00:00:05.123Z\"}"))
            .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private Run naiveSync(int n) throws Exception {
    try (SmsApiSimulator sim = simulator()) {
      HttpClient client = jdkClient();
      Feedback[] feedbacks = Fixtures.feedbacks(seed++, n, Instant.now());
      long ok = 0;
      Cpu cpu = Cpu.now();
      long start = System.nanoTime();
      for (Feedback fb : feedbacks) {
        if (postFeedback(client, sim.feedbackUri(Fixtures.SUB_ACCOUNT, fb.umid()), sim.apiKey(),
                Duration.ofSeconds(5)) == 200) {
          ok++;
        }
      }
      long nanos = System.nanoTime() - start;
      double[] c = cpuPerItem(cpu, n);
      long received = received(sim);
      return new Run("naive sync send", n, ok, n - received, nanos / 1e9, c[0], c[1], c[2],
          f("simulator received=%d", received));
    }
  }

  private Run threadPerFeedback(int n) throws Exception {
    try (SmsApiSimulator sim = simulator()) {
      HttpClient client = jdkClient();
      Feedback[] feedbacks = Fixtures.feedbacks(seed++, n, Instant.now());
      AtomicLong ok = new AtomicLong();
      List<Thread> threads = new ArrayList<>(n);
      Cpu cpu = Cpu.now();
      long start = System.nanoTime();
      for (Feedback fb : feedbacks) {
        URI uri = sim.feedbackUri(Fixtures.SUB_ACCOUNT, fb.umid());
        Thread t =
            new Thread(
                () -> {
                  if (postFeedback(client, uri, sim.apiKey(), Duration.ofSeconds(30)) == 200) {
                    ok.incrementAndGet();
                  }
                });
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      long deadline = System.nanoTime() + config.timeout().toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      long nanos = System.nanoTime() - start;
      double[] c = cpuPerItem(cpu, n);
      long received = received(sim);
      return new Run("thread per feedback", n, ok.get(), n - received, nanos / 1e9, c[0], c[1], c[2],
          f("simulator received=%d", received));
    }
  }

  private static long received(SmsApiSimulator sim) {
    var c = sim.conversion();
    return c.successes() + c.failures();
  }

  private static boolean noDuplicates(SmsApiSimulator sim) {
    try {
      sim.assertNoDuplicates();
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }
}
