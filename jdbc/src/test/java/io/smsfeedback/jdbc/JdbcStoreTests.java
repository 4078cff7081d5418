package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryEvent.DropReason;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.Outcome;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.store.TrackingStoreContract;
import io.smsfeedback.testing.ManualClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Core's store contract plus what the JDBC store adds: claims with leases shared by several nodes,
 * the durable outbox, schema handling, cached counts. Subclassed per database. Every test gets its
 * own table (a fresh prefix); "nodes" are stores on the same table.
 */
abstract class JdbcStoreTests extends TrackingStoreContract {

  static final Duration LEASE = Duration.ofSeconds(30);
  private static final AtomicInteger TABLES = new AtomicInteger();

  /** The lease clock of every store a test builds (the tracker's "now" is passed in). */
  final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

  private String prefix;
  private final List<JdbcTrackingStore> built = new ArrayList<>();

  /** The database under test. */
  abstract DataSource dataSource();

  abstract JdbcDialect expectedDialect();

  @Override
  protected TrackingStore newStore() {
    prefix = "t" + TABLES.incrementAndGet() + "_";
    return node(true); // the contract holds with the outbox on
  }

  @Override
  protected void disposeStore(TrackingStore store) {
    built.forEach(JdbcTrackingStore::close);
  }

  /** Another store on this test's table, as another node would have, with the outbox on. */
  JdbcTrackingStore node(boolean initializeSchema) {
    JdbcTrackingStore s = builder().initializeSchema(initializeSchema).build();
    built.add(s);
    return s;
  }

  JdbcTrackingStore.Builder builder() {
    return JdbcTrackingStore.builder(dataSource())
        // The contract is about what the store decides, not how fast: under a loaded CI machine a
        // statement of the concurrent tests took longer than the default 250 ms and failed one.
        // The bound itself is tested in SlowDatabaseIT.
        .statementTimeout(Duration.ofSeconds(5))
        .outbox(true)
        .tablePrefix(prefix)
        .clock(clock)
        .lease(LEASE)
        .countRefresh(Duration.ZERO);
  }

  JdbcTrackingStore jdbc() {
    return (JdbcTrackingStore) store;
  }

  // ---- setup

  @Test
  void build_detectsTheDialect_andNamesTheTableAfterThePrefix() {
    assertThat(jdbc().dialect()).isEqualTo(expectedDialect());
    assertThat(jdbc().tableName()).isEqualTo(prefix + "tracked_otp");
  }

  @Test
  void initializeSchema_isIdempotent_andKeepsTheRows() {
    TrackedOtp record = insert(pending(at(0)));

    JdbcTrackingStore again = node(true);

    assertThat(again.find(record.umid())).contains(record);
  }

  @Test
  void build_withoutTheTable_failsNamingItAndTheWayToCreateIt() {
    JdbcTrackingStore.Builder missing =
        JdbcTrackingStore.builder(dataSource()).tablePrefix("missing_" + prefix);

    assertThatThrownBy(missing::build)
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("missing_" + prefix + "tracked_otp")
        .hasMessageContaining(expectedDialect().schemaResource())
        .hasMessageContaining("sms.feedback.jdbc.initialize-schema=true");
  }

  @Test
  void instants_areStoredToTheMicrosecond() {
    Instant sentAt = at(0).plusNanos(123_456_789);
    TrackedOtp record = TrackedOtp.pending(pending(sentAt).otp(), sentAt.plusSeconds(600));
    insert(record);

    TrackedOtp stored = store.find(record.umid()).orElseThrow();

    assertThat(stored.sentAt()).isEqualTo(at(0).plusNanos(123_456_000));
    assertThat(stored.abandonAt()).isEqualTo(at(600_000).plusNanos(123_456_000));
  }

  // ---- abandonment claims

  @Test
  void findDueForAbandonment_claimsForALease_soAnotherNodeGetsOtherRecords() {
    List<TrackedOtp> due = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      due.add(insert(pending(at(i))));
    }
    Instant now = at(3_600_000);
    JdbcTrackingStore other = node(false);

    List<TrackedOtp> first = store.findDueForAbandonment(now, 4);
    List<TrackedOtp> second = other.findDueForAbandonment(now, 10);

    assertThat(first).containsExactlyElementsOf(due.subList(0, 4));
    assertThat(second).containsExactlyElementsOf(due.subList(4, 10));
    assertThat(store.findDueForAbandonment(now, 10)).as("all claimed").isEmpty();
  }

  @Test
  void claimsOfANodeThatStopped_comeBackWhenTheLeaseEnds() {
    TrackedOtp record = insert(pending(at(0)));
    Instant now = at(3_600_000);
    assertThat(store.findDueForAbandonment(now, 10)).containsExactly(record); // then "dies"
    JdbcTrackingStore other = node(false);

    clock.advance(LEASE.minusMillis(1));
    assertThat(other.findDueForAbandonment(now, 10)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(other.findDueForAbandonment(now, 10)).containsExactly(record);
  }

  @Test
  void compareAndSet_endsTheClaim_soAWrongCodeCountedMeanwhileLeavesItDue() {
    TrackedOtp v0 = insert(pending(at(0)));
    Instant now = at(3_600_000);
    assertThat(store.findDueForAbandonment(now, 10)).containsExactly(v0);
    JdbcTrackingStore other = node(false);

    assertThat(other.compareAndSet(v0, v0.withWrongCode())).isTrue();

    assertThat(store.findDueForAbandonment(now, 10)).containsExactly(v0.withWrongCode());
  }

  @Test
  void abandonment_racedByTwoNodes_isDecidedOnce() {
    JdbcTrackingStore other = node(false);
    for (int i = 0; i < 200; i++) {
      insert(pending(at(i)));
    }
    Instant now = at(3_600_000);
    int decided = 0;
    for (int round = 0; round < 20; round++) {
      for (JdbcTrackingStore node : List.of(jdbc(), other)) {
        for (TrackedOtp due : node.findDueForAbandonment(now, 7)) {
          // both nodes try every record they saw, as a late tracker would
          for (JdbcTrackingStore writer : List.of(jdbc(), other)) {
            decided += writer.compareAndSet(due, due.finish(TrackingState.ABANDONED, now)) ? 1 : 0;
          }
        }
      }
    }
    assertThat(decided).isEqualTo(200);
    assertThat(store.countPending()).isZero();
  }

  // ---- outbox

  @Test
  void decision_isUndeliveredAndLeasedToTheDecidingNode_untilTheLeaseEnds() {
    TrackedOtp decided = decide(insert(pending(at(0))), TrackingState.VERIFIED);
    JdbcTrackingStore other = node(false);

    assertThat(other.claimUndelivered(at(0).minusSeconds(1), 10)).isEmpty();
    assertThat(jdbc().stats().held()).isEqualTo(1);

    clock.advance(LEASE);
    assertThat(other.claimUndelivered(at(0).minusSeconds(1), 10)).containsExactly(decided);
    assertThat(other.stats().redelivered()).isEqualTo(1);
    assertThat(other.stats().held()).isEqualTo(1);
    assertThat(jdbc().claimUndelivered(at(0).minusSeconds(1), 10)).as("now other's").isEmpty();
  }

  @Test
  void settledOutcomes_areNeverClaimed() {
    List<TrackedOtp> decided = new ArrayList<>();
    for (DeliveryState end :
        List.of(DeliveryState.DELIVERED, DeliveryState.REJECTED, DeliveryState.EXPIRED)) {
      TrackedOtp d = decide(insert(pending(at(0))), TrackingState.SUPERSEDED);
      terminal(d, end);
      decided.add(d);
    }
    assertThat(jdbc().flush(Duration.ofSeconds(5))).isTrue();
    JdbcTrackingStore other = node(false);

    clock.advance(LEASE.multipliedBy(2));

    assertThat(other.claimUndelivered(at(0).minusSeconds(1), 10)).isEmpty();
    assertThat(jdbc().stats().settled()).isEqualTo(3);
    assertThat(jdbc().stats().held()).isZero();
    assertThat(deliveryColumn(decided.get(0))).isEqualTo("DONE");
  }

  @Test
  void droppedOutcome_isReleased_andAnyNodeClaimsItAtOnce() {
    TrackedOtp decided = decide(insert(pending(at(0))), TrackingState.ABANDONED);
    JdbcTrackingStore other = node(false);

    terminal(decided, DeliveryState.DROPPED);
    assertThat(jdbc().flush(Duration.ofSeconds(5))).isTrue();

    assertThat(jdbc().stats().released()).isEqualTo(1);
    assertThat(other.claimUndelivered(at(0).minusSeconds(1), 10)).containsExactly(decided);
  }

  @Test
  void leases_areRenewedByTheHoldingNodesRenewCalls_whileItsReporterHoldsTheOutcome() {
    TrackedOtp decided = decide(insert(pending(at(0))), TrackingState.VERIFIED);
    JdbcTrackingStore other = node(false);
    Instant sentAfter = at(0).minusSeconds(1);

    for (int i = 0; i < 6; i++) {
      clock.advance(LEASE.dividedBy(3));
      jdbc().renewLeases(sentAfter);
      assertThat(other.claimUndelivered(sentAfter, 10)).as("round %s", i).isEmpty();
    }

    terminal(decided, DeliveryState.DROPPED); // the reporter let go: renewal stops at once
    assertThat(jdbc().flush(Duration.ofSeconds(5))).isTrue();
    clock.advance(LEASE);
    assertThat(other.claimUndelivered(sentAfter, 10)).containsExactly(decided);
  }

  @Test
  void claimUndelivered_renewsNoLease() {
    TrackedOtp decided = decide(insert(pending(at(0))), TrackingState.VERIFIED);
    JdbcTrackingStore other = node(false);
    Instant sentAfter = at(0).minusSeconds(1);
    jdbc().close(); // its writer thread renews no more; only the claim call below could

    clock.advance(LEASE.dividedBy(3).multipliedBy(2));
    assertThat(jdbc().stats().held()).isEqualTo(1);
    assertThat(jdbc().claimUndelivered(sentAfter, 10)).isEmpty();
    clock.advance(LEASE.dividedBy(3));

    assertThat(other.claimUndelivered(sentAfter, 10))
        .as("the holder's claim call left its lease as it was")
        .containsExactly(decided);
  }

  @Test
  void renewLeases_forgetsOutcomesPastTheirWindow() {
    decide(insert(pending(at(0))), TrackingState.VERIFIED);
    assertThat(jdbc().stats().held()).isEqualTo(1);

    jdbc().renewLeases(at(0));

    assertThat(jdbc().stats().held()).isZero();
  }

  @Test
  void outcomesPastTheirWindow_areNotClaimed() {
    TrackedOtp decided = decide(insert(pending(at(1_000))), TrackingState.VERIFIED);
    JdbcTrackingStore other = node(false);
    clock.advance(LEASE);

    assertThat(other.claimUndelivered(at(1_000), 10)).as("sent at the cutoff").isEmpty();
    assertThat(other.claimUndelivered(at(999), 10)).containsExactly(decided);
  }

  @Test
  void claimUndelivered_returnsEarliestSentFirst_atMostLimit() {
    TrackedOtp late = decide(insert(pending(at(3_000))), TrackingState.VERIFIED);
    TrackedOtp early = decide(insert(pending(at(1_000))), TrackingState.VERIFIED);
    decide(insert(pending(at(5_000))), TrackingState.VERIFIED);
    JdbcTrackingStore other = node(false);
    clock.advance(LEASE);

    assertThat(other.claimUndelivered(at(0), 2)).containsExactly(early, late);
  }

  @Test
  void storeWithoutTheOutbox_neitherRecordsNorClaimsUndeliveredOutcomes_norHasAListener() {
    JdbcTrackingStore unarmed = builder().outbox(false).build();
    built.add(unarmed);
    TrackedOtp v0 = insert(pending(at(0)));
    assertThat(unarmed.compareAndSet(v0, v0.finish(TrackingState.VERIFIED, at(5)))).isTrue();
    clock.advance(LEASE);

    assertThat(unarmed.claimUndelivered(at(0).minusSeconds(1), 10)).isEmpty();
    assertThat(jdbc().claimUndelivered(at(0).minusSeconds(1), 10)).isEmpty();
    assertThat(deliveryColumn(v0)).isNull();
    assertThat(unarmed.stats().held()).isZero();
    assertThatThrownBy(unarmed::deliveryListener)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outbox(true)");
  }

  @Test
  void expiredRecords_neverEnterTheOutbox() {
    TrackedOtp v0 = insert(pending(at(0)));
    assertThat(store.compareAndSet(v0, v0.finish(TrackingState.EXPIRED, at(900_000)))).isTrue();
    clock.advance(LEASE);

    assertThat(jdbc().claimUndelivered(at(0).minusSeconds(1), 10)).isEmpty();
    assertThat(jdbc().stats().held()).isZero();
  }

  @Test
  void evictOldestFinished_takesSettledOutcomesBeforeUndeliveredOnes() {
    TrackedOtp undelivered = decide(insert(pending(at(0))), TrackingState.VERIFIED);
    TrackedOtp settled = decide(insert(pending(at(1_000))), TrackingState.VERIFIED);
    terminal(settled, DeliveryState.DELIVERED);
    assertThat(jdbc().flush(Duration.ofSeconds(5))).isTrue();
    TrackedOtp neverReported = insert(pending(at(2_000)).finish(TrackingState.VERIFIED, at(2_000)));

    assertThat(store.evictOldestFinished(2)).isEqualTo(2);

    assertThat(store.find(undelivered.umid())).isPresent();
    assertThat(store.find(settled.umid())).isEmpty();
    assertThat(store.find(neverReported.umid())).isEmpty();
    assertThat(store.evictOldestFinished(2)).isEqualTo(1);
  }

  @Test
  void close_writesTheWaitingResults_andIsIdempotent() {
    TrackedOtp decided = decide(insert(pending(at(0))), TrackingState.VERIFIED);
    terminal(decided, DeliveryState.DELIVERED);

    jdbc().close();
    jdbc().close();

    assertThat(deliveryColumn(decided)).isEqualTo("DONE");
    assertThat(jdbc().stats().backlog()).isZero();
  }

  // ---- counts

  @Test
  void cachedCounts_followThisNodesChanges_andSeeOtherNodesAtTheNextRefresh() {
    JdbcTrackingStore cached = builder().countRefresh(Duration.ofMinutes(1)).build();
    JdbcTrackingStore other = node(false);
    assertThat(cached.countTracked()).isZero();
    assertThat(cached.countPending()).isZero();

    TrackedOtp mine = pending(at(0));
    assertThat(cached.insertIfAbsent(mine)).isTrue();
    assertThat(other.insertIfAbsent(pending(at(1)))).isTrue();
    assertThat(cached.compareAndSet(mine, mine.finish(TrackingState.VERIFIED, at(2)))).isTrue();

    assertThat(cached.countTracked()).as("own insert only").isEqualTo(1);
    assertThat(cached.countPending()).isZero();
    assertThat(other.countTracked()).as("uncached").isEqualTo(2);
    cached.close();
  }

  // ---- helpers

  private TrackedOtp insert(TrackedOtp record) {
    assertThat(store.insertIfAbsent(record)).isTrue();
    return record;
  }

  private TrackedOtp decide(TrackedOtp pending, TrackingState state) {
    TrackedOtp decided = pending.finish(state, pending.sentAt().plusSeconds(5));
    assertThat(store.compareAndSet(pending, decided)).isTrue();
    return decided;
  }

  private void terminal(TrackedOtp decided, DeliveryState state) {
    FeedbackListener listener = jdbc().deliveryListener();
    Outcome outcome = decided.state().outcome();
    Feedback feedback =
        new Feedback(
            decided.otp(), outcome == null ? Outcome.FAILURE : outcome, decided.decidedAt());
    listener.onTerminal(
        new DeliveryEvent(
            feedback,
            state,
            state == DeliveryState.DROPPED ? DropReason.QUEUE_FULL : null,
            state == DeliveryState.DROPPED ? 0 : 1,
            null,
            null,
            clock.instant()));
  }

  private String deliveryColumn(TrackedOtp record) {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT delivery FROM "
                    + jdbc().tableName()
                    + " WHERE umid = '"
                    + record.umid()
                    + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
