package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outcomes per second through PostgreSQL, end to end: worker threads call {@code sent} then {@code
 * verified} for their OTPs on one tracker with the JDBC store (an insert, then the deciding
 * update); the reporter delivers each to the simulator over loopback HTTP and the outbox settles it
 * in the database (single-row updates, one round trip per batch). Prints the figures; bounded in
 * count and time.
 *
 * <pre>
 * mvn -B -o -q -pl jdbc -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=ThroughputIT \
 *     -Dthroughput.warmup=20000 -Dthroughput.outcomes=20000 \
 *     [-Dthroughput.threads=32] [-Dthroughput.pool=34] [-Dthroughput.durable=true] \
 *     [-Dthroughput.statements=true]
 * </pre>
 *
 * The same run first sends {@code throughput.warmup} outcomes through, unmeasured, so that the JIT
 * has compiled the JDBC driver, the HTTP client and the simulator.
 *
 * <p>{@code throughput.durable=true} runs PostgreSQL with {@code fsync} and {@code
 * synchronous_commit} on (a production server's settings) instead of the test defaults (both off).
 * {@code throughput.pool} is the connection pool's size (default: threads + 2). {@code
 * throughput.statements=true} also prints what PostgreSQL ran during the measured outcomes
 * (pg_stat_statements: calls per outcome, time and WAL per call) and its CPU by process.
 */
class ThroughputIT {

  static final int OUTCOMES = Integer.getInteger("throughput.outcomes", 5_000);
  static final int WARM_UP = Integer.getInteger("throughput.warmup", 2_000);
  static final int THREADS = Integer.getInteger("throughput.threads", 8);
  static final int POOL = Integer.getInteger("throughput.pool", THREADS + 2);
  static final boolean DURABLE = Boolean.getBoolean("throughput.durable");
  static final boolean STATEMENTS = Boolean.getBoolean("throughput.statements");
  static final String KEY = "throughput-key-0123456789abcdef";

  @RegisterExtension
  static final PostgresExtension POSTGRES =
      new PostgresExtension(
          DURABLE,
          STATEMENTS
              ? Map.of(
                  "shared_preload_libraries", "pg_stat_statements",
                  "pg_stat_statements.track", "all")
              : Map.of());

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY).maxConnections(256));

  @Test
  void outcomesPerSecond_throughPostgres() throws Exception {
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    SmsApiSimulator sim = extension.simulator();
    DataSource pool = POSTGRES.newPool(POOL);
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey(KEY)
            .subAccountId("acme-otp")
            .baseUrl(sim.baseUri())
            .queueCapacity(Math.max(10_000, Math.max(WARM_UP, OUTCOMES)))
            .maxConcurrentRequests(32)
            .maxTracked(Math.max(100_000, (WARM_UP + OUTCOMES) * 2))
            .build();
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(pool)
            .outbox(true)
            .tablePrefix("tp_")
            .initializeSchema(true)
            // a throughput measurement on a shared machine: a pause (JIT, GC, a checkpoint) must not
            // turn into a timed-out call (SlowDatabaseIT tests the bound)
            .statementTimeout(Duration.ofSeconds(10))
            .build();
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
    ConversionTracker tracker = ConversionTracker.builder(settings, reporter).store(store).build();
    ExecutorService workers = Executors.newFixedThreadPool(THREADS);
    try {
      run(tracker, workers, WARM_UP);
      sim.awaitFeedbackCount(WARM_UP, Duration.ofMinutes(5));
      assertThat(reporter.flush(Duration.ofMinutes(1))).isTrue();
      sim.reset();

      if (STATEMENTS) {
        sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        sql("SELECT pg_stat_statements_reset()");
      }
      long walBefore = walPosition();
      Map<Long, Long> threadCpuBefore = threadCpu();
      Duration serverCpuBefore = POSTGRES.serverCpu();
      Map<String, Duration> rolesBefore = POSTGRES.serverCpuByRole();
      long start = System.nanoTime();
      run(tracker, workers, OUTCOMES);
      long decided = System.nanoTime();
      sim.awaitFeedbackCount(OUTCOMES, Duration.ofMinutes(5));
      assertThat(reporter.flush(Duration.ofMinutes(1))).isTrue();
      assertThat(store.flush(Duration.ofMinutes(1))).isTrue();
      long settled = System.nanoTime();
      Duration serverCpu = POSTGRES.serverCpu().minus(serverCpuBefore);
      long[] jvmCpu = jvmCpuSince(threadCpuBefore); // {application, simulator}
      long walBytes = walPosition() - walBefore;

      sim.assertNoDuplicates();
      assertThat(store.stats().settled()).isEqualTo(WARM_UP + OUTCOMES);
      double cpuPerOutcome = (jvmCpu[0] + serverCpu.toNanos()) / 1e9 / OUTCOMES;
      System.out.printf(
          Locale.ROOT,
          "THROUGHPUT jdbc/PostgreSQL (%s): %d outcomes, %d threads, pool %d,"
              + " load average %.1f at the start, %.1f at the end:"
              + " decided %.0f/s; decided + delivered to the simulator + settled %.0f/s%n"
              + "THROUGHPUT CPU per outcome: application JVM %.0f us + PostgreSQL %.0f us"
              + " (simulator %.0f us, not counted) = %.0f outcomes/s per fully used core%n",
          DURABLE ? "fsync on, synchronous_commit on" : "fsync off, synchronous_commit off",
          OUTCOMES,
          THREADS,
          POOL,
          loadAtStart,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          OUTCOMES / seconds(decided - start),
          OUTCOMES / seconds(settled - start),
          jvmCpu[0] / 1e3 / OUTCOMES,
          serverCpu.toNanos() / 1e3 / OUTCOMES,
          jvmCpu[1] / 1e3 / OUTCOMES,
          1 / cpuPerOutcome);
      System.out.printf(Locale.ROOT, "THROUGHPUT WAL per outcome: %d bytes%n", walBytes / OUTCOMES);
      if (STATEMENTS) {
        printStatements();
        POSTGRES
            .serverCpuByRole()
            .forEach(
                (role, cpu) ->
                    System.out.printf(
                        Locale.ROOT,
                        "THROUGHPUT PostgreSQL CPU per outcome, %s: %.0f us%n",
                        role,
                        cpu.minus(rolesBefore.getOrDefault(role, Duration.ZERO)).toNanos()
                            / 1e3
                            / OUTCOMES));
      }
    } finally {
      workers.shutdownNow();
      tracker.close();
      reporter.close();
      store.close();
    }
  }

  /** {@code count} OTPs sent and verified by the workers; returns when all are decided. */
  private static void run(ConversionTracker tracker, ExecutorService workers, int count)
      throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int share = count / THREADS + (t < count % THREADS ? 1 : 0);
      done.add(
          workers.submit(
              () -> {
                for (int i = 0; i < share; i++) {
                  SentOtp otp = new SentOtp("acme-otp", UUID.randomUUID(), Instant.now());
                  require(tracker.sent(otp));
                  require(tracker.verified(otp, Instant.now()));
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
  }

  /** The current WAL insert position, in bytes. */
  private static long walPosition() throws SQLException {
    try (Connection c = POSTGRES.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = POSTGRES.connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** The statements the measured outcomes ran (pg_stat_statements), per outcome. */
  private static void printStatements() throws SQLException {
    try (Connection c = POSTGRES.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT calls, rows, total_exec_time, wal_bytes, query"
                    + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12")) {
      System.out.println(
          "THROUGHPUT SQL   calls/outcome  rows/call  exec us/call  WAL B/call  query");
      while (rs.next()) {
        long calls = rs.getLong(1);
        System.out.printf(
            Locale.ROOT,
            "THROUGHPUT SQL   %13.3f  %9.1f  %12.1f  %10.0f  %.110s%n",
            (double) calls / OUTCOMES,
            (double) rs.getLong(2) / calls,
            rs.getDouble(3) * 1e3 / calls,
            rs.getDouble(4) / calls,
            rs.getString(5).replaceAll("\\s+", " "));
      }
    }
  }

  /** CPU time of every live JVM thread, by thread id. */
  private static Map<Long, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    return cpu;
  }

  /** JVM CPU nanoseconds since {@code before}: {application threads, simulator threads}. */
  private static long[] jvmCpuSince(Map<Long, Long> before) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long app = 0;
    long simulator = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long used =
          Math.max(0, threads.getThreadCpuTime(info.getThreadId()))
              - before.getOrDefault(info.getThreadId(), 0L);
      if (info.getThreadName().startsWith("sms-sim")) {
        simulator += used;
      } else {
        app += used;
      }
    }
    return new long[] {app, simulator};
  }

  private static void require(Signal signal) {
    if (signal != Signal.APPLIED) {
      throw new IllegalStateException("unexpected " + signal);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
