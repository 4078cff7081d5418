package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.RecordedRequest;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node (a child JVM: {@link CrashChild}) decides outcomes and starts delivering them to a slow
 * 8x8; some are delivered, some are in flight (the simulator holds their requests), some are
 * queued, some OTPs are still pending; then it is killed with SIGKILL. A fresh tracker and reporter
 * on the same database must deliver every outcome before its deadline, none twice.
 */
class CrashRecoveryIT {

  static final String KEY = "crash-key-0123456789abcdef";
  static final Duration LEASE = Duration.ofSeconds(1);
  static final Duration ABANDON_AFTER = Duration.ofSeconds(5);
  static final Duration VALIDITY = Duration.ofMinutes(15);
  static final int DELIVERED_BEFORE_CRASH = 8;

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  @TempDir Path dir;

  private Process child;
  private final List<AutoCloseable> fresh = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (int i = fresh.size() - 1; i >= 0; i--) {
      fresh.get(i).close();
    }
  }

  @Test
  void killedNode_freshNodeDeliversEveryOutcomeBeforeItsDeadline_noneTwice() throws Exception {
    SmsApiSimulator sim = extension.simulator();
    DataSource pool = POSTGRES.newPool(4);
    String prefix = "crash_";
    JdbcTrackingStore.builder(pool).tablePrefix(prefix).initializeSchema(true).build().close();

    // 20 verified, 10 superseded, 10 left pending: decided later by a scan, on either node
    Instant sentAt = Instant.now();
    Map<UUID, Outcome> expected = new LinkedHashMap<>();
    List<String> plan = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      UUID umid = UUID.randomUUID();
      String kind = i < 20 ? "verify" : i < 30 ? "supersede" : "pending";
      plan.add(kind + " " + umid + " " + sentAt.toEpochMilli());
      expected.put(umid, kind.equals("verify") ? Outcome.SUCCESS : Outcome.FAILURE);
    }
    Path planFile = Files.write(dir.resolve("plan.txt"), plan, StandardCharsets.UTF_8);

    // A slow 8x8: the first answers come after 50 ms, every later request hangs unanswered
    for (int i = 0; i < DELIVERED_BEFORE_CRASH; i++) {
      sim.enqueueFaults(Fault.latency(Duration.ofMillis(50)));
    }
    sim.alwaysApply(Fault.hang().withLatency(Duration.ofMillis(50)));

    Path out = dir.resolve("child.out");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                POSTGRES.jdbcUrl(),
                prefix,
                sim.baseUrl(),
                KEY,
                Long.toString(LEASE.toMillis()),
                Long.toString(ABANDON_AFTER.toMillis()),
                planFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();

    await("child decided and is delivering")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !child.isAlive() || read(out).contains("DECIDED"));
    assertThat(child.isAlive()).as("child alive; its output:%n%s", read(out)).isTrue();
    // Crash with nothing between 8x8's 200 and the store's record of it: the first answers are
    // settled in the database, four more requests are held open by the simulator (in flight).
    await("deliveries settled and in flight")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                sim.receivedFeedback().size() == DELIVERED_BEFORE_CRASH
                    && count(pool, prefix, "delivery = 'DONE'") == DELIVERED_BEFORE_CRASH
                    && hanging(sim) == 4);

    child.destroyForcibly(); // SIGKILL on Linux
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    long undecided = count(pool, prefix, "state = 'PENDING'");
    long undelivered = count(pool, prefix, "delivery = 'PENDING'");
    assertThat(undecided + undelivered)
        .as("outcomes the child left: pending OTPs, decided but undelivered ones")
        .isEqualTo(40 - DELIVERED_BEFORE_CRASH);
    assertThat(undelivered).as("in flight and queued in the dead node").isGreaterThanOrEqualTo(4);

    sim.clearFaults(); // 8x8 answers normally again
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey(KEY)
            .subAccountId("acme-otp")
            .baseUrl(sim.baseUri())
            .validity(VALIDITY)
            .abandonAfter(ABANDON_AFTER)
            .build();
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(pool).outbox(true).tablePrefix(prefix).lease(LEASE).build();
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
    ConversionTracker tracker =
        ConversionTracker.builder(settings, reporter)
            .store(store)
            .scanInterval(Duration.ofMillis(100))
            .build();
    fresh.addAll(List.of(store, reporter, tracker));

    sim.awaitFeedbackCount(40, Duration.ofSeconds(30));
    assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(40);
    for (Map.Entry<UUID, Outcome> e : expected.entrySet()) {
      ReceivedFeedback f = sim.receivedFeedback(e.getKey()).get(0);
      assertThat(f.outcome()).as("outcome of %s", e.getKey()).isEqualTo(e.getValue().wireValue());
      assertThat(f.receivedAt()).as("before its deadline").isBefore(sentAt.plus(VALIDITY));
    }
    assertThat(count(pool, prefix, "delivery = 'DONE'")).isEqualTo(40);
    assertThat(store.stats().redelivered())
        .as("the dead node's undelivered outcomes, taken over")
        .isEqualTo(undelivered);
    assertThat(tracker.stats().failuresAbandoned()).isLessThanOrEqualTo(undecided);
    assertThat(tracker.stats().outcomes() + undelivered).isEqualTo(40 - DELIVERED_BEFORE_CRASH);
    assertThat(Accounting.assertBalanced(reporter.stats()).delivered())
        .isEqualTo(40 - DELIVERED_BEFORE_CRASH);
  }

  private static int hanging(SmsApiSimulator sim) {
    int n = 0;
    for (RecordedRequest r : sim.feedbackRequests()) {
      n += r.verdict() == RecordedRequest.Verdict.FAULTED ? 1 : 0;
    }
    return n;
  }

  static long count(DataSource pool, String prefix, String condition) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM " + prefix + "tracked_otp WHERE " + condition)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
