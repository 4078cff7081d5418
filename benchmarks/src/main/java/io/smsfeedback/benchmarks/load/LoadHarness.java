package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The load harness: {@code java -cp benchmarks/target/benchmarks.jar
 * io.smsfeedback.benchmarks.load.LoadHarness <delivery|delivery-latency|outage|memory|all|reporter-only> [--smoke]}
 * ({@code reporter-only}: the reporter's delivery runs alone, with CPU per thread, for profiling). Every run is
 * bounded in requests and time, uses loopback only, and stops by itself. See BENCHMARKS.md.
 */
public final class LoadHarness {

  private LoadHarness() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println(
          "usage: LoadHarness <delivery|delivery-latency|outage|memory|all|reporter-only> [--smoke]");
      System.exit(2);
    }
    boolean smoke = List.of(args).contains("--smoke");
    run(args[0], smoke, System.out);
  }

  /** Runs one harness (or all) and prints the results. */
  public static void run(String what, boolean smoke, PrintStream out) throws Exception {
    out.println(
        f("# %s, %s %s, %d cpu(s), max heap %d MiB, %s",
            Instant.now(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
            smoke ? "SMOKE (tiny sizes)" : "full sizes"));
    switch (what) {
      case "delivery" -> delivery(smoke, out);
      case "outage" -> outage(smoke, out);
      case "memory" -> memory(smoke, out);
      case "delivery-latency" -> deliveryWithLatency(smoke, out);
      case "reporter-only" -> new Delivery(Delivery.Config.full(), out).reporterOnly();
      case "all" -> {
        delivery(smoke, out);
        deliveryWithLatency(smoke, out);
        outage(smoke, out);
        memory(smoke, out);
      }
      default -> throw new IllegalArgumentException("unknown harness: " + what);
    }
  }

  static Map<String, List<Delivery.Run>> delivery(boolean smoke, PrintStream out) throws Exception {
    Map<String, List<Delivery.Run>> runs =
        new Delivery(smoke ? Delivery.Config.smoke() : Delivery.Config.full(), out).run();
    out.println("# delivery summary: median (min–max) over rounds");
    double limit = Numbers.median(rates(runs.get("limit (lean client)")));
    double reporter = Numbers.median(rates(runs.get("reporter")));
    for (Map.Entry<String, List<Delivery.Run>> e : runs.entrySet()) {
      List<Double> r = rates(e.getValue());
      long lost = e.getValue().stream().mapToLong(Delivery.Run::lost).sum();
      List<Double> cpu = e.getValue().stream().map(Delivery.Run::cpuMicros).toList();
      List<Double> client = e.getValue().stream().map(Delivery.Run::clientCpuMicros).toList();
      out.println(
          f("  %-22s %s feedbacks/s, lost %d; cpu %s µs/feedback, of which client %s",
              e.getKey(), Numbers.spread(r, "%.0f"), lost, Numbers.spread(cpu, "%.1f"),
              Numbers.spread(client, "%.1f")));
    }
    out.println(
        f(
            "  reporter / naive sync send = %.1fx; reporter / thread per feedback = %.1fx;"
                + " reporter / limit = %.0f%%",
            reporter / Numbers.median(rates(runs.get("naive sync send"))),
            reporter / Numbers.median(rates(runs.get("thread per feedback"))),
            100 * reporter / limit));
    return runs;
  }

  static Map<String, List<Delivery.Run>> deliveryWithLatency(boolean smoke, PrintStream out)
      throws Exception {
    Delivery.Config c = smoke ? Delivery.Config.smoke() : Delivery.Config.full();
    Delivery.Config three =
        new Delivery.Config(false, smoke ? 1 : 3, c.feedbacks(), c.naiveFeedbacks(),
            c.limitRequests(), c.maxConcurrentRequests(), c.leanConnections(), c.window(),
            c.timeout());
    Map<String, List<Delivery.Run>> runs =
        new Delivery(three, out)
            .withLatency(Duration.ofMillis(20), smoke ? 64 : 5_000, smoke ? 8 : 250,
                smoke ? 32 : 2_000);
    double reporter = Numbers.median(rates(runs.get("reporter")));
    out.println("# delivery with latency summary: median (min–max) over rounds");
    for (Map.Entry<String, List<Delivery.Run>> e : runs.entrySet()) {
      long lost = e.getValue().stream().mapToLong(Delivery.Run::lost).sum();
      out.println(f("  %-22s %s feedbacks/s, lost %d", e.getKey(),
          Numbers.spread(rates(e.getValue()), "%.0f"), lost));
    }
    out.println(
        f("  reporter / naive sync send = %.1fx; reporter / thread per feedback = %.1fx",
            reporter / Numbers.median(rates(runs.get("naive sync send"))),
            reporter / Numbers.median(rates(runs.get("thread per feedback")))));
    return runs;
  }

  static Map<String, List<Outage.Run>> outage(boolean smoke, PrintStream out) throws Exception {
    Map<String, List<Outage.Run>> runs =
        new Outage(smoke ? Outage.Config.smoke() : Outage.Config.full(), out).run();
    out.println("# outage summary: verify latency, median (min–max) over rounds, ms");
    for (Map.Entry<String, List<Outage.Run>> e : runs.entrySet()) {
      List<Outage.Run> r = e.getValue();
      out.println(
          f(
              "  %-18s p50 %s  p99 %s  flow p99 %s  failed %d",
              e.getKey(),
              Numbers.spread(r.stream().map(Outage.Run::verifyP50Ms).toList(), "%.2f"),
              Numbers.spread(r.stream().map(Outage.Run::verifyP99Ms).toList(), "%.2f"),
              Numbers.spread(r.stream().map(Outage.Run::flowP99Ms).toList(), "%.2f"),
              r.stream().mapToInt(Outage.Run::failed).sum()));
    }
    for (String mode : List.of("FILTER", "NAIVE")) {
      double healthy = p99(runs, mode + " HEALTHY");
      out.println(
          f(
              "  %s: p99 hung / healthy = %.2f, p99 503 / healthy = %.2f",
              mode,
              p99(runs, mode + " HUNG") / healthy,
              p99(runs, mode + " ERROR_503") / healthy));
    }
    return runs;
  }

  static List<Memory.Result> memory(boolean smoke, PrintStream out) throws Exception {
    return new Memory(smoke ? Memory.Config.smoke() : Memory.Config.full(), out).run();
  }

  private static double p99(Map<String, List<Outage.Run>> runs, String key) {
    return Numbers.median(runs.get(key).stream().map(Outage.Run::verifyP99Ms).toList());
  }

  private static List<Double> rates(List<Delivery.Run> runs) {
    return runs.stream().map(Delivery.Run::perSecond).toList();
  }
}
