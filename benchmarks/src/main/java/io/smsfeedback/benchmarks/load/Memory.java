package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.benchmarks.support.InstantTransport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.IntFunction;
import javax.management.ObjectName;

/**
 * Retained heap per tracked OTP and per queued feedback, measured from the heap: used heap after
 * full GCs with N items held versus the same structure empty (several rounds, median), and the
 * per-class difference of two live-object class histograms ({@code GC.class_histogram}, which runs
 * a full GC itself) to show what the bytes are.
 *
 * <p>Tracked OTPs: {@code tracker.sent(otp)} for N distinct OTPs (each with its own umid and send
 * time, as in real use), in-memory store. Queued feedbacks: {@code reporter.report(feedback)} for N
 * distinct feedbacks into a reporter whose dispatcher is held, so all N stay queued; the figure
 * includes the {@code Feedback}, its {@code SentOtp}, umid and instants (which, when the tracker
 * made the feedback, it shares with the tracked record) and is also given without them.
 */
final class Memory {

  record Config(int rounds, int n) {
    static Config full() {
      return new Config(5, 100_000);
    }

    static Config smoke() {
      return new Config(1, 1_000);
    }
  }

  /** Bytes per item: used-heap method per round, and the histogram method. */
  record Result(String what, List<Double> usedHeapPerItem, double histogramPerItem,
      double histogramOwnPerItem, String top) {}

  private final Config config;
  private final PrintStream out;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  Memory(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  List<Result> run() throws Exception {
    out.println(
        f("# memory: N=%d vs N=0, %d round(s); heap max %d MiB", config.n(), config.rounds(),
            Runtime.getRuntime().maxMemory() >> 20));
    List<Result> results = new ArrayList<>();
    results.add(measure("tracked OTP (tracker.sent)", this::tracker, 1));
    results.add(measure("queued feedback (reporter.report)", this::reporter, 2));
    for (Result r : results) {
      out.println(
          f(
              "%-36s used heap: %s B/item; class histogram: %.1f B/item (%.1f B without the"
                  + " Feedback/SentOtp/UUID/Instant objects the caller made); top: %s",
              r.what(),
              Numbers.spread(r.usedHeapPerItem(), "%.1f"),
              r.histogramPerItem(),
              r.histogramOwnPerItem(),
              r.top()));
    }
    return results;
  }

  /** A holder of n items: its own structures and everything reachable only through it. */
  private interface Holder extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * @param callerInstants instants per item the caller made (the OTP's send time; for a feedback
   *     also the action time)
   */
  private Result measure(String what, IntFunction<Holder> make, int callerInstants)
      throws Exception {
    List<Double> perItem = new ArrayList<>();
    double histogram = 0;
    double histogramOwn = 0;
    String top = "";
    // a warm-up round: classes loaded, JIT and the structures' code paths exercised
    try (Holder h = make.apply(Math.min(config.n(), 10_000))) {
      settle();
      histogram();
    }
    for (int round = 0; round < config.rounds(); round++) {
      long empty;
      Map<String, long[]> emptyHistogram;
      try (Holder h = make.apply(0)) {
        empty = settle();
        emptyHistogram = round == 0 ? histogram() : Map.of();
        Holder full = make.apply(config.n());
        try (full) {
          long used = settle();
          perItem.add((used - empty) / (double) config.n());
          if (round == 0) {
            Map<String, long[]> fullHistogram = histogram();
            long total = 0;
            long callers = 0;
            Map<String, Long> diff = new HashMap<>();
            for (Map.Entry<String, long[]> e : fullHistogram.entrySet()) {
              long[] before = emptyHistogram.getOrDefault(e.getKey(), new long[2]);
              long bytes = e.getValue()[1] - before[1];
              long count = e.getValue()[0] - before[0];
              if (count >= config.n() / 2 || bytes >= config.n() * 4L) {
                diff.put(e.getKey() + "×" + f("%.2f", count / (double) config.n()), bytes);
                total += bytes;
                if (callerMade(e.getKey())) {
                  callers += bytes;
                }
                if (e.getKey().equals("java.time.Instant") && count > 0) {
                  callers += callerInstants * (long) config.n() * (bytes / count);
                }
              }
            }
            histogram = total / (double) config.n();
            histogramOwn = (total - callers) / (double) config.n();
            StringBuilder sb = new StringBuilder();
            diff.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(
                    e ->
                        sb.append(shortName(e.getKey()))
                            .append(f("=%.0f ", e.getValue() / (double) config.n())));
            top = sb.toString().trim();
          }
        }
      }
    }
    return new Result(what, perItem, histogram, histogramOwn, top);
  }

  /** Made by whoever calls report(): the tracker already holds them when it made the feedback. */
  private static boolean callerMade(String name) {
    return name.equals("io.smsfeedback.Feedback")
        || name.equals("io.smsfeedback.SentOtp")
        || name.equals("java.util.UUID");
  }

  private static String shortName(String key) {
    int dot = key.lastIndexOf('.', key.indexOf('×'));
    return dot < 0 ? key : key.substring(dot + 1);
  }

  private Holder tracker(int n) {
    FeedbackSettings settings = Fixtures.settings().maxTracked(Math.max(1, n * 2)).build();
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings).transport(new InstantTransport()).build();
    ConversionTracker tracker = ConversionTracker.create(settings, reporter);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      SentOtp otp =
          new SentOtp(Fixtures.SUB_ACCOUNT, Fixtures.umid(31, i), now.plusNanos(i * 1000L));
      if (tracker.sent(otp) != ConversionTracker.Signal.APPLIED) {
        throw new IllegalStateException("not tracked: " + tracker.stats());
      }
    }
    return () -> {
      tracker.close();
      reporter.close();
    };
  }

  private Holder reporter(int n) {
    FeedbackSettings settings = Fixtures.settings().queueCapacity(Math.max(1, n)).build();
    ScheduledThreadPoolExecutor dispatcher = new ScheduledThreadPoolExecutor(1);
    CountDownLatch held = new CountDownLatch(1);
    dispatcher.execute(
        () -> {
          try {
            held.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings)
            .transport(new InstantTransport())
            .scheduler(dispatcher)
            .build();
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      Instant sentAt = now.plusNanos(i * 1000L);
      SentOtp otp = new SentOtp(Fixtures.SUB_ACCOUNT, Fixtures.umid(37, i), sentAt);
      if (!reporter.report(new Feedback(otp, Outcome.SUCCESS, sentAt.plusMillis(1)))) {
        throw new IllegalStateException("not queued: " + reporter.stats());
      }
    }
    if (reporter.stats().queued() != n) {
      throw new IllegalStateException("expected " + n + " queued: " + reporter.stats());
    }
    return () -> dispatcher.shutdownNow(); // discarded undrained
  }

  /** Full GCs until the used heap stops shrinking; returns it. */
  private long settle() throws InterruptedException {
    long last = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 16 * 1024 && i >= 2) {
        break;
      }
      last = used;
    }
    return used;
  }

  /** Live objects per class: name -> {instances, bytes}. Runs a full GC itself. */
  private static Map<String, long[]> histogram() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, long[]> map = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p.length >= 4 && p[0].endsWith(":")) {
        map.put(p[3], new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])});
      }
    }
    return map;
  }
}
