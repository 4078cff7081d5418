package io.smsfeedback.benchmarks.load;

import static io.smsfeedback.benchmarks.load.Numbers.f;

import io.smsfeedback.ReporterStats;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Outage isolation: the verification endpoint's latency under a steady, open-loop load (OTP flows
 * started at a fixed rate, whatever the app's state) while the 8x8 simulator is healthy, hangs, or
 * answers 503, with our filter versus a naive synchronous call in the servlet.
 */
final class Outage {

  enum Scenario {
    HEALTHY,
    HUNG,
    ERROR_503
  }

  record Config(
      boolean warmup,
      int rounds,
      int flowsPerSecond,
      Duration duration,
      Duration responseTimeout,
      Duration drain,
      Duration settle) {
    static Config full() {
      return new Config(true, 3, 100, Duration.ofSeconds(10), Duration.ofSeconds(5),
          Duration.ofSeconds(40), Duration.ofSeconds(2));
    }

    static Config smoke() {
      return new Config(false, 1, 50, Duration.ofMillis(200), Duration.ofMillis(200),
          Duration.ofSeconds(5), Duration.ofMillis(200));
    }
  }

  /** One scenario's measurements. */
  record Run(
      OutageApp.Mode mode,
      Scenario scenario,
      int flows,
      int verified,
      int failed,
      double verifyP50Ms,
      double verifyP99Ms,
      double flowP99Ms,
      String note) {}

  private final Config config;
  private final PrintStream out;

  Outage(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  Map<String, List<Run>> run() throws Exception {
    out.println(
        f(
            "# outage: %d OTP flows/s (send + verify) for %d ms per scenario, 8x8 response timeout"
                + " %d ms, %d round(s) after a warm-up",
            config.flowsPerSecond(),
            config.duration().toMillis(),
            config.responseTimeout().toMillis(),
            config.rounds()));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int round = config.warmup() ? 0 : 1; round <= config.rounds(); round++) {
      for (OutageApp.Mode mode : OutageApp.Mode.values()) {
        for (Scenario scenario : Scenario.values()) {
          if (round == 0 && scenario != Scenario.HEALTHY) {
            continue; // warm-up: healthy only
          }
          Run r = once(mode, scenario);
          out.println(
              f(
                  "%s %-6s %-9s flows=%-5d verified=%-5d failed=%-4d verify p50=%8.2f ms"
                      + " p99=%8.2f ms  flow p99=%8.2f ms  %s",
                  round == 0 ? "warm-up " : "round " + round + " ",
                  mode,
                  scenario,
                  r.flows(),
                  r.verified(),
                  r.failed(),
                  r.verifyP50Ms(),
                  r.verifyP99Ms(),
                  r.flowP99Ms(),
                  r.note()));
          if (round > 0) {
            runs.computeIfAbsent(mode + " " + scenario, k -> new ArrayList<>()).add(r);
          }
        }
      }
    }
    return runs;
  }

  private Run once(OutageApp.Mode mode, Scenario scenario) throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(4096).build()) {
      switch (scenario) {
        case HUNG -> sim.hangAll();
        case ERROR_503 -> sim.respondAlways(503);
        default -> {}
      }
      String note;
      int flows = (int) (config.flowsPerSecond() * config.duration().toMillis() / 1000);
      long[] verifyNanos = new long[flows];
      long[] flowNanos = new long[flows];
      AtomicInteger verified = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Map<String, Integer> reasons = new java.util.concurrent.ConcurrentHashMap<>();
      ExecutorService callbacks = Executors.newFixedThreadPool(2, daemon());
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .executor(callbacks)
              .build();
      try (OutageApp app = OutageApp.start(mode, sim, config.responseTimeout(), config.settle())) {
        URI send = app.baseUri().resolve("/otp/send");
        URI verify = app.baseUri().resolve("/otp/verify");
        Duration requestTimeout = config.drain();
        List<CompletableFuture<?>> all = new ArrayList<>(flows);
        long periodNanos = 1_000_000_000L / config.flowsPerSecond();
        long start = System.nanoTime();
        for (int i = 0; i < flows; i++) {
          long intended = start + i * periodNanos;
          long wait;
          while ((wait = intended - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          int flow = i;
          CompletableFuture<?> done =
              client
                  .sendAsync(post(send, null, requestTimeout), HttpResponse.BodyHandlers.discarding())
                  .thenCompose(
                      sent -> {
                        String cookie =
                            sent.headers()
                                .firstValue("Set-Cookie")
                                .map(c -> c.split(";", 2)[0])
                                .orElse(null);
                        long verifyStart = System.nanoTime();
                        return client
                            .sendAsync(post(verify, cookie, requestTimeout),
                                HttpResponse.BodyHandlers.discarding())
                            .thenApply(
                                answer -> {
                                  long now = System.nanoTime();
                                  verifyNanos[flow] = now - verifyStart;
                                  flowNanos[flow] = now - intended;
                                  if (answer.statusCode() == 200 && cookie != null) {
                                    verified.incrementAndGet();
                                  } else {
                                    failed.incrementAndGet();
                                    reasons.merge(
                                        cookie == null
                                            ? "no session cookie (send " + sent.statusCode() + ")"
                                            : "verify " + answer.statusCode(),
                                        1,
                                        Integer::sum);
                                  }
                                  return answer;
                                });
                      })
                  .exceptionally(
                      e -> {
                        long now = System.nanoTime();
                        verifyNanos[flow] = now - intended;
                        flowNanos[flow] = now - intended;
                        failed.incrementAndGet();
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        reasons.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                        return null;
                      });
          all.add(done);
        }
        try {
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .get(config.drain().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // counted below: unanswered flows
        }
        int answered = verified.get() + failed.get();
        long[] v = new long[answered];
        long[] fl = new long[answered];
        int k = 0;
        for (int i = 0; i < flows && k < answered; i++) {
          if (flowNanos[i] > 0) {
            v[k] = verifyNanos[i];
            fl[k] = flowNanos[i];
            k++;
          }
        }
        long[] vs = Numbers.sorted(v, k);
        long[] fs = Numbers.sorted(fl, k);
        ReporterStats s = app.reporterStats(config.settle());
        note =
            s == null
                ? f("simulator received=%d", sim.conversion().total())
                : f(
                    "reporter: accepted=%d delivered=%d queued=%d inFlight=%d retries=%d;"
                        + " simulator received=%d",
                    s.accepted(), s.delivered(), s.queued(), s.inFlight(), s.retries(),
                    sim.conversion().total());
        if (!reasons.isEmpty()) {
          note += "; failures: " + reasons;
        }
        if (answered < flows) {
          note += f("; %d flow(s) unanswered after the drain", flows - answered);
        }
        return new Run(
            mode,
            scenario,
            flows,
            verified.get(),
            failed.get() + (flows - answered),
            Numbers.percentile(vs, 0.50) / 1e6,
            Numbers.percentile(vs, 0.99) / 1e6,
            Numbers.percentile(fs, 0.99) / 1e6,
            note);
      } finally {
        callbacks.shutdownNow();
      }
    }
  }

  private static HttpRequest post(URI uri, String cookie, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("code=123456"));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return b.build();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "outage-client");
      t.setDaemon(true);
      return t;
    };
  }
}
