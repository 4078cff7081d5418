package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that does not answer never holds the caller: with the table locked by another
 * transaction, or with PostgreSQL stopped, every tracker call returns within the statement timeout
 * plus a margin, the store shows as degraded, and once the database answers again the signals made
 * meanwhile are written and every outcome reaches 8x8 exactly once.
 *
 * <p>The bound asserted is the statement timeout (250 ms) plus a generous 1 s for a loaded machine;
 * the durations measured are printed.
 */
class SlowDatabaseIT {

  static final String KEY = "slow-db-key-0123456789abcdef";
  static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(250);
  static final Duration BOUND = STATEMENT_TIMEOUT.plusSeconds(1);
  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  @TempDir Path dir;

  @RegisterExtension final Closer open = new Closer();
  private final List<Duration> measured = new ArrayList<>();

  @AfterEach
  void printDurations() {
    System.out.println("SlowDatabaseIT: calls took " + measured);
  }

  @Test
  void tableLocked_callsEndAtTheTimeout_andEveryOutcomeIsDeliveredOnceAfterwards()
      throws Exception {
    Node node = new Node(POSTGRES.newPool(8), "locked_");
    SentOtp a = node.otp();
    assertThat(node.tracker.sent(a)).isEqualTo(Signal.APPLIED);

    SentOtp b = node.otp();
    try (Connection locker = POSTGRES.connect()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE locked_tracked_otp IN ACCESS EXCLUSIVE MODE");
      }
      assertThat(timed(() -> node.tracker.verified(a, Instant.now()))).isEqualTo(Signal.ERROR);
      assertThat(node.store.stats().degraded()).isTrue();
      assertThat(timed(() -> node.tracker.sent(b))).isEqualTo(Signal.ERROR);
      assertThat(timed(() -> node.tracker.verified(b, Instant.now()))).isEqualTo(Signal.ERROR);
      locker.rollback();
    }

    assertDeliveredOnceAfterwards(node, a, b);
  }

  @Test
  void databaseStoppedAndRestarted_callsEndAtTheTimeout_andEveryOutcomeIsDeliveredOnceAfterwards()
      throws Exception {
    int port = freePort();
    Path data = dir.resolve("pgdata");
    EmbeddedPostgres postgres = start(port, data);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(30_000); // Spring Boot's and HikariCP's default
    HikariDataSource pool = new HikariDataSource(config);
    open.add(pool);
    Node node = new Node(pool, "stopped_");
    SentOtp a = node.otp();
    assertThat(node.tracker.sent(a)).isEqualTo(Signal.APPLIED);

    postgres.close();
    SentOtp b = node.otp();
    assertThat(timed(() -> node.tracker.verified(a, Instant.now()))).isEqualTo(Signal.ERROR);
    assertThat(node.store.stats().degraded()).isTrue();
    assertThat(timed(() -> node.tracker.sent(b))).isEqualTo(Signal.ERROR);
    assertThat(timed(() -> node.tracker.verified(b, Instant.now()))).isEqualTo(Signal.ERROR);

    open.add(start(port, data));
    assertDeliveredOnceAfterwards(node, a, b);
  }

  private void assertDeliveredOnceAfterwards(Node node, SentOtp a, SentOtp b) {
    SmsApiSimulator sim = extension.simulator();
    assertThat(sim.awaitFeedback(a.umid(), WAIT).outcome()).isEqualTo("success");
    assertThat(sim.awaitFeedback(b.umid(), WAIT).outcome()).isEqualTo("success");
    assertThat(node.store.stats().retriedWrites()).as("writes kept and written later").isEqualTo(3);
    assertThat(node.store.stats().lostWrites()).isZero();
    await("a new call succeeds, ending the degraded state")
        .atMost(WAIT)
        .until(() -> node.tracker.sent(node.otp()) == Signal.APPLIED);
    assertThat(node.store.stats().degraded()).isFalse();
    assertThat(node.reporter.flush(WAIT)).isTrue();
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback(a.umid())).hasSize(1);
    assertThat(sim.receivedFeedback(b.umid())).hasSize(1);
  }

  private Signal timed(Supplier<Signal> call) {
    long start = System.nanoTime();
    Signal signal = call.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    measured.add(took);
    assertThat(took).as("a call while the database does not answer").isLessThan(BOUND);
    return signal;
  }

  private static EmbeddedPostgres start(int port, Path data) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Store (outbox on), reporter to the simulator, tracker scanning every 200 ms. */
  final class Node {
    final JdbcTrackingStore store;
    final FeedbackReporter reporter;
    final ConversionTracker tracker;

    Node(DataSource pool, String prefix) {
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(KEY)
              .subAccountId("acme-otp")
              .baseUrl(extension.simulator().baseUri())
              .build();
      store =
          JdbcTrackingStore.builder(pool)
              .outbox(true)
              .tablePrefix(prefix)
              .initializeSchema(true)
              .statementTimeout(STATEMENT_TIMEOUT)
              .lease(Duration.ofSeconds(1))
              .build();
      reporter = FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
      tracker =
          ConversionTracker.builder(settings, reporter)
              .store(store)
              .scanInterval(Duration.ofMillis(200))
              .build();
      open.add(store);
      open.add(reporter);
      open.add(tracker);
    }

    SentOtp otp() {
      return new SentOtp("acme-otp", UUID.randomUUID(), Instant.now());
    }
  }
}
