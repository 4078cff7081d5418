package io.smsfeedback.store;

import io.smsfeedback.Feedback;
import io.smsfeedback.Outcome;
import io.smsfeedback.internal.tracker.InMemoryTrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a {@link io.smsfeedback.ConversionTracker} keeps its state: one {@link TrackedOtp} per umid.
 *
 * <p><b>Shape.</b> Every method is one atomic step that a SQL database can do in one statement
 * (shown for PostgreSQL with a table {@code tracked_otp(umid PK, sub_account_id, sent_at, state,
 * wrong_codes, abandon_at, decided_at, version)}); no method takes a callback or holds a lock after
 * it returns. The tracker reads a record, computes the next version and writes it with {@link
 * #compareAndSet} (or, for a decision that needs nothing but the record being pending, lets the
 * store do both with {@link #finishIfPending}); if two trackers (two nodes on one database, or two
 * threads) race, exactly one write wins, and only the winner hands the outcome to its reporter. So an outcome is decided
 * exactly once per umid however many trackers share the store.
 *
 * <p><b>Time.</b> The store has no clock: every instant it compares comes from the tracker.
 *
 * <p><b>Threading and failure.</b> Implementations are thread-safe. They may throw a {@link
 * RuntimeException} when the backing system fails; the tracker catches it, counts it and never
 * passes it to its caller. With the in-memory default every method is non-blocking and cheap; a
 * durable store makes the tracker's calls as slow as its statements.
 *
 * <p><b>Contract.</b> {@code io.smsfeedback.store.TrackingStoreContract} in {@code
 * sms-feedback-core}'s test-jar is the executable specification: subclass it with your store.
 *
 * <p><b>Outbox.</b> A durable store may also implement {@link DeliveryOutbox}, so that an outcome
 * decided by a node that dies before delivering it is delivered by another.
 */
public interface TrackingStore {

  /**
   * The default store: a {@link java.util.concurrent.ConcurrentHashMap} plus two time-ordered
   * indexes (pending by abandonment time, final by send time). Not durable, not shared between JVMs.
   */
  static TrackingStore inMemory() {
    return new InMemoryTrackingStore();
  }

  /**
   * Stores {@code record} unless its umid is already stored.
   *
   * <p>SQL: {@code INSERT ... ON CONFLICT (umid) DO NOTHING}, true if one row was inserted.
   *
   * @return true if inserted, false if the umid was present (the stored record is unchanged)
   */
  boolean insertIfAbsent(TrackedOtp record);

  /**
   * The stored record for {@code umid}, if any. SQL: {@code SELECT ... WHERE umid = ?}.
   */
  Optional<TrackedOtp> find(UUID umid);

  /**
   * Writes {@code updated}'s {@linkplain TrackedOtp changeable fields} if the stored record of that
   * umid still has {@code expected.version()}.
   *
   * <p>SQL: {@code UPDATE ... SET state = ?, wrong_codes = ?, decided_at = ?, version = ? WHERE umid
   * = ? AND version = ?}, true if one row was updated.
   *
   * @param expected the record as read; only its umid and version are compared
   * @param updated the next version: same umid, {@code version == expected.version() + 1}; its
   *     {@code otp} and {@code abandonAt} are not written (the stored ones stay)
   * @return true if written; false if the record changed since {@code expected} was read, or is gone
   * @throws IllegalArgumentException if {@code updated} has another umid or a version other than
   *     {@code expected.version() + 1}
   */
  boolean compareAndSet(TrackedOtp expected, TrackedOtp updated);

  /**
   * Decides a pending record in one step, as a {@link #find} then a {@link #compareAndSet} would: if
   * the record of {@code umid} is {@link TrackingState#PENDING} and was sent at or after {@code
   * sentFrom}, writes it in {@code finalState} with {@code decidedAt} = {@code at} clamped to
   * {@code [sentAt, now]} (as {@link TrackedOtp#finish}: wrong codes kept, version one higher) and
   * returns the record written. Otherwise changes nothing and returns empty: the umid is not
   * stored, its record is final already, or it was sent before {@code sentFrom}. Two calls racing
   * on one umid (or a call and a {@link #compareAndSet}) decide it once.
   *
   * <p>SQL: {@code UPDATE ... SET state = ?, decided_at = GREATEST(LEAST(?, ?), sent_at), version =
   * version + 1 WHERE umid = ? AND state = 'PENDING' AND sent_at >= ? RETURNING ...}. The default
   * implementation reads with {@link #find} and writes with {@link #compareAndSet} (again if the
   * record changed in between): a store that can do it in one statement saves the tracker a round
   * trip per decided OTP.
   *
   * @param finalState {@link TrackingState#VERIFIED}, {@link TrackingState#SUPERSEDED} or {@link
   *     TrackingState#ABANDONED}: the outcomes that depend on nothing but the record being pending
   * @param at the time of the action; stored clamped to {@code [sentAt, now]}
   * @param now the tracker's current time
   * @param sentFrom records sent before this instant are past their window: left unchanged
   * @return the record as written, or empty if nothing was written
   * @throws IllegalArgumentException if {@code finalState} is another state
   */
  default Optional<TrackedOtp> finishIfPending(
      UUID umid, TrackingState finalState, Instant at, Instant now, Instant sentFrom) {
    Objects.requireNonNull(umid, "umid");
    Outcome outcome = requireFinishableIfPending(finalState);
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(sentFrom, "sentFrom");
    while (true) {
      TrackedOtp current = find(umid).orElse(null);
      if (current == null || !current.isPending() || current.sentAt().isBefore(sentFrom)) {
        return Optional.empty();
      }
      TrackedOtp next =
          current.finish(finalState, Feedback.of(current.otp(), outcome, at, now).actedAt());
      if (compareAndSet(current, next)) {
        return Optional.of(next);
      }
    }
  }

  /** The outcome of {@code finalState}, if {@link #finishIfPending} takes it. */
  private static Outcome requireFinishableIfPending(TrackingState finalState) {
    Outcome outcome = Objects.requireNonNull(finalState, "finalState").outcome();
    if (outcome == null || finalState == TrackingState.MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "finalState must be VERIFIED, SUPERSEDED or ABANDONED: " + finalState);
    }
    return outcome;
  }

  /**
   * Up to {@code limit} {@link TrackingState#PENDING} records whose {@code abandonAt} is at or before
   * {@code now}, earliest {@code abandonAt} first. A snapshot: the caller decides each with {@link
   * #compareAndSet}, so returning a record that another tracker is deciding at the same moment is
   * harmless (one of them wins).
   *
   * <p>SQL: {@code SELECT ... WHERE state = 'PENDING' AND abandon_at <= ? ORDER BY abandon_at LIMIT
   * ?} (optionally {@code FOR UPDATE SKIP LOCKED} in a short transaction, so that nodes scanning at
   * once split the work instead of racing for it).
   *
   * <p><b>Claims.</b> A store shared by several trackers may claim the records it returns for a
   * short lease and leave out, until that lease runs out, records another call has claimed: then
   * nodes scanning at once each get different records, and the records of a node that stopped
   * halfway come back when its lease ends. A claim ends early when {@link #compareAndSet} changes
   * the record (a wrong code counted meanwhile makes it due again at the next scan). A claim never
   * decides anything: the {@link #compareAndSet} does.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  List<TrackedOtp> findDueForAbandonment(Instant now, int limit);

  /**
   * Deletes up to {@code limit} final records (any state but {@link TrackingState#PENDING}) sent
   * strictly before {@code sentBefore}, oldest first. Pending records are never deleted.
   *
   * <p>SQL: {@code DELETE ... WHERE umid IN (SELECT umid ... WHERE state <> 'PENDING' AND sent_at <
   * ? ORDER BY sent_at LIMIT ?)}.
   *
   * @return how many were deleted
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  int purgeFinishedBefore(Instant sentBefore, int limit);

  /**
   * Deletes up to {@code limit} final records, oldest {@code sentAt} first, to make room when {@code
   * max-tracked} is reached. Pending records are never deleted.
   *
   * @return how many were deleted (fewer than {@code limit} if there were not enough final records)
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  int evictOldestFinished(int limit);

  /**
   * How many records are stored (pending and final). Called on every send to enforce {@code
   * max-tracked} and by {@code stats()}: keep it cheap (a durable store may return a recent
   * estimate).
   */
  long countTracked();

  /** How many records are {@link TrackingState#PENDING}; cheap, may be a recent estimate. */
  long countPending();

  /**
   * Called by {@link io.smsfeedback.ConversionTracker.Builder#build()} with the tracker's scan
   * interval, before the tracker starts: a store whose claims or leases rely on the scan's cadence
   * refuses one too slow for them. The default accepts any.
   *
   * @throws IllegalArgumentException naming the store's setting that conflicts with the interval
   */
  default void checkScanInterval(Duration scanInterval) {}
}
