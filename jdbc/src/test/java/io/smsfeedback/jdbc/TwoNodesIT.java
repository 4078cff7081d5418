package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes (tracker + reporter + store each, as two JVMs would have) on one PostgreSQL table and
 * one 8x8 simulator. OTPs are sent on one node and signalled on either, under a seeded random
 * schedule run by two threads at once (one per node), with both nodes' abandonment scans running
 * every step on manual clocks. Every umid's outcome must reach the simulator exactly once, with the
 * outcome and timestamp its decision stored.
 */
class TwoNodesIT {

  static final String KEY = "two-nodes-key-0123456789abcdef";
  static final long SEED = Long.getLong("twoNodes.seed", 0x2026_1128L);
  static final int UMIDS = 400;
  static final Duration ABANDON_AFTER = Duration.ofSeconds(60);
  static final int MAX_SEND_OFFSET_MS = 30_000;
  static final int STEPS = MAX_SEND_OFFSET_MS / 1000 + (int) ABANDON_AFTER.toSeconds() + 5;

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  /** In the real past, so every timestamp stays in the past for the real-time reporters. */
  final Instant t0 = Instant.now().minusSeconds(STEPS + 60).truncatedTo(ChronoUnit.MILLIS);

  final ManualClock clock = new ManualClock(t0);
  final ExecutorService threads = Executors.newFixedThreadPool(2);
  static DataSource pool;
  SmsApiSimulator sim;
  Node a;
  Node b;

  enum Kind {
    VERIFY,
    WRONG_THEN_VERIFY,
    MAX_ATTEMPTS,
    SUPERSEDED,
    ABANDON,
    /** Verified on one node in the very step the scans abandon it: either outcome, once. */
    RACE
  }

  record Op(int node, int step, String what, SentOtp otp) {}

  record Expected(SentOtp otp, Kind kind, Outcome outcome, Instant actedAt) {}

  @BeforeEach
  void start() {
    if (pool == null) {
      pool = POSTGRES.newPool(12);
    }
    sim = extension.simulator();
    String prefix = "two_" + Long.toHexString(System.nanoTime()) + "_";
    a = new Node("a", prefix, true);
    b = new Node("b", prefix, false);
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    for (Node n : List.of(a, b)) {
      n.tracker.close();
      n.reporter.close();
      n.store.close();
    }
  }

  @Test
  void randomInterleavings_deliverEveryOutcomeExactlyOnce_asDecided() throws Exception {
    Random random = new Random(SEED);
    List<Op> ops = new ArrayList<>();
    Map<UUID, Expected> expected = new HashMap<>();
    for (int i = 0; i < UMIDS; i++) {
      SentOtp otp =
          new SentOtp(
              i % 7 == 0 ? "acme.eu_2&co" : "acme-otp",
              UUID.randomUUID(),
              t0.plusMillis(1 + random.nextInt(MAX_SEND_OFFSET_MS)));
      int sentStep = ceilSeconds(otp.sentAt());
      int abandonStep = ceilSeconds(otp.sentAt().plus(ABANDON_AFTER));
      int sender = random.nextInt(2);
      ops.add(new Op(sender, sentStep, "sent", otp));
      Kind kind = pick(random);
      int last = abandonStep - 1; // signals strictly before the abandonment
      switch (kind) {
        case VERIFY -> {
          int step = between(random, sentStep + 1, last);
          int node = random.nextInt(2);
          ops.add(new Op(node, step, "verified", otp));
          if (random.nextInt(3) == 0) {
            ops.add(new Op(1 - node, step, "verified", otp)); // double submit on both nodes
          }
          expected.put(otp.umid(), new Expected(otp, kind, Outcome.SUCCESS, at(step)));
        }
        case WRONG_THEN_VERIFY -> {
          int wrong = between(random, sentStep + 1, last - 1);
          int step = between(random, wrong + 1, last);
          ops.add(new Op(random.nextInt(2), wrong, "wrongCode", otp));
          ops.add(new Op(random.nextInt(2), step, "verified", otp));
          expected.put(otp.umid(), new Expected(otp, kind, Outcome.SUCCESS, at(step)));
        }
        case MAX_ATTEMPTS -> {
          int first = between(random, sentStep + 1, last - 2);
          int second = between(random, first + 1, last - 1);
          int third = between(random, second + 1, last);
          for (int step : new int[] {first, second, third}) {
            ops.add(new Op(random.nextInt(2), step, "wrongCode", otp));
          }
          expected.put(otp.umid(), new Expected(otp, kind, Outcome.FAILURE, at(third)));
        }
        case SUPERSEDED -> {
          int step = between(random, sentStep + 1, last);
          ops.add(new Op(random.nextInt(2), step, "superseded", otp));
          expected.put(otp.umid(), new Expected(otp, kind, Outcome.FAILURE, at(step)));
        }
        case ABANDON ->
            expected.put(otp.umid(), new Expected(otp, kind, Outcome.FAILURE, at(abandonStep)));
        case RACE -> {
          ops.add(new Op(random.nextInt(2), abandonStep, "verified", otp));
          expected.put(otp.umid(), new Expected(otp, kind, Outcome.SUCCESS, at(abandonStep)));
        }
      }
    }

    for (int step = 0; step <= STEPS; step++) {
      clock.set(at(step));
      List<List<Runnable>> perNode = List.of(new ArrayList<>(), new ArrayList<>());
      for (Op op : ops) {
        if (op.step() == step) {
          Node node = op.node() == 0 ? a : b;
          perNode.get(op.node()).add(() -> node.apply(op));
        }
      }
      perNode.get(0).add(a.scheduler::runDue); // the scans, in a random place among the signals
      perNode.get(1).add(b.scheduler::runDue);
      Collections.shuffle(perNode.get(0), random);
      Collections.shuffle(perNode.get(1), random);
      Future<?> ra = threads.submit(() -> perNode.get(0).forEach(Runnable::run));
      Future<?> rb = threads.submit(() -> perNode.get(1).forEach(Runnable::run));
      ra.get(30, TimeUnit.SECONDS);
      rb.get(30, TimeUnit.SECONDS);
    }
    for (Node n : List.of(a, b)) {
      assertThat(n.reporter.flush(Duration.ofSeconds(20))).as("node %s flushed", n.name).isTrue();
      assertThat(n.store.flush(Duration.ofSeconds(10)))
          .as("node %s store flushed", n.name)
          .isTrue();
    }

    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(UMIDS);
    Map<UUID, TrackedOtp> rows = rows();
    int raced = 0;
    for (Expected e : expected.values()) {
      TrackedOtp row = rows.get(e.otp().umid());
      assertThat(row).as("row of %s", e.kind()).isNotNull();
      Outcome decided = row.state().outcome();
      if (e.kind() == Kind.RACE) {
        assertThat(row.state()).isIn(TrackingState.VERIFIED, TrackingState.ABANDONED);
        raced += row.state() == TrackingState.ABANDONED ? 1 : 0;
      } else {
        assertThat(decided).as("decision for %s", e.kind()).isEqualTo(e.outcome());
        assertThat(row.decidedAt()).as("decided at for %s", e.kind()).isEqualTo(e.actedAt());
      }
      ReceivedFeedback received = sim.receivedFeedback(e.otp().umid()).get(0);
      assertThat(received.outcome())
          .as("%s %s", e.kind(), e.otp().umid())
          .isEqualTo(decided.wireValue());
      assertThat(received.actedAt()).contains(row.decidedAt());
      assertThat(received.subAccountId()).isEqualTo(e.otp().subAccountId());
    }
    assertThat(undeliveredRows()).as("every outcome settled in the outbox").isZero();

    TrackerStats sa = a.tracker.stats();
    TrackerStats sb = b.tracker.stats();
    assertThat(sa.errors() + sb.errors()).isZero();
    assertThat(sa.outcomes() + sb.outcomes()).isEqualTo(UMIDS);
    long abandoned = expected.values().stream().filter(e -> e.kind() == Kind.ABANDON).count();
    assertThat(sa.failuresAbandoned() + sb.failuresAbandoned()).isEqualTo(abandoned + raced);
    ReporterStats ra = Accounting.assertBalanced(a.reporter.stats());
    ReporterStats rb = Accounting.assertBalanced(b.reporter.stats());
    assertThat(ra.delivered() + rb.delivered()).isEqualTo(UMIDS);
    assertThat(ra.duplicates() + rb.duplicates()).isZero();
    assertThat(a.store.stats().redelivered() + b.store.stats().redelivered())
        .as("no node took over another's outcomes")
        .isZero();
  }

  private static Kind pick(Random random) {
    int r = random.nextInt(100);
    if (r < 30) {
      return Kind.VERIFY;
    } else if (r < 40) {
      return Kind.WRONG_THEN_VERIFY;
    } else if (r < 50) {
      return Kind.MAX_ATTEMPTS;
    } else if (r < 65) {
      return Kind.SUPERSEDED;
    } else if (r < 85) {
      return Kind.ABANDON;
    }
    return Kind.RACE;
  }

  private static int between(Random random, int from, int to) {
    return to <= from ? from : from + random.nextInt(to - from + 1);
  }

  private int ceilSeconds(Instant instant) {
    long ms = Duration.between(t0, instant).toMillis();
    return (int) ((ms + 999) / 1000);
  }

  private Instant at(int step) {
    return t0.plusSeconds(step);
  }

  private Map<UUID, TrackedOtp> rows() {
    Map<UUID, TrackedOtp> rows = new HashMap<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT umid FROM " + a.store.tableName())) {
      while (rs.next()) {
        UUID umid = rs.getObject(1, UUID.class);
        rows.put(umid, a.store.find(umid).orElseThrow());
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return rows;
  }

  private long undeliveredRows() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM "
                    + a.store.tableName()
                    + " WHERE delivery IS DISTINCT FROM 'DONE'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * One node: its own store instance, reporter (real time, real HTTP) and tracker (manual time).
   */
  final class Node {
    final String name;
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final JdbcTrackingStore store;
    final FeedbackReporter reporter;
    final ConversionTracker tracker;

    Node(String name, String prefix, boolean initializeSchema) {
      this.name = name;
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(KEY)
              .subAccountId("acme-otp")
              .baseUrl(sim.baseUri())
              .abandonAfter(ABANDON_AFTER)
              .maxAttempts(3)
              .maxConcurrentRequests(8)
              .connectTimeout(Duration.ofSeconds(1))
              .responseTimeout(Duration.ofSeconds(5))
              .shutdownTimeout(Duration.ofSeconds(2))
              .build();
      store =
          JdbcTrackingStore.builder(pool)
              .outbox(true)
              .tablePrefix(prefix)
              .initializeSchema(initializeSchema)
              .clock(clock)
              .build();
      reporter = FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
      tracker =
          ConversionTracker.builder(settings, reporter)
              .store(store)
              .clock(clock)
              .scheduler(scheduler)
              .scanInterval(Duration.ofSeconds(1))
              .build();
    }

    void apply(Op op) {
      Instant now = clock.instant();
      Signal signal =
          switch (op.what()) {
            case "sent" -> tracker.sent(op.otp());
            case "verified" -> tracker.verified(op.otp(), now);
            case "wrongCode" -> tracker.wrongCode(op.otp(), now);
            case "superseded" -> tracker.superseded(op.otp(), now);
            default -> throw new IllegalArgumentException(op.what());
          };
      Set<Signal> allowed =
          op.what().equals("sent")
              ? EnumSet.of(Signal.APPLIED)
              : EnumSet.of(Signal.APPLIED, Signal.ATTEMPT_COUNTED, Signal.DUPLICATE);
      assertThat(signal).as("%s %s on %s", op.what(), op.otp().umid(), name).isIn(allowed);
    }
  }
}
