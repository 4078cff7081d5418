package io.smsfeedback.store;

import io.smsfeedback.internal.tracker.InMemoryTrackingStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a {@link io.smsfeedback.ConversionTracker} keeps its state: one {@link TrackedOtp} per umid.
 *
 * <p><b>Shape.</b> Every method is one atomic step that a SQL database can do in one statement
 * (shown for PostgreSQL with a table {@code tracked_otp(umid PK, sub_account_id, sent_at, state,
 * wrong_codes, abandon_at, decided_at, version)}); no method takes a callback or holds a lock after
 * it returns. The tracker reads a record, computes the next version and writes it with {@link
 * #compareAndSet}; if two trackers (two nodes on one database, or two threads) race, exactly one
 * write wins, and only the winner hands the outcome to its reporter. So an outcome is decided
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
   * Up to {@code limit} {@link TrackingState#PENDING} records whose {@code abandonAt} is at or before
   * {@code now}, earliest {@code abandonAt} first. A snapshot: the caller decides each with {@link
   * #compareAndSet}, so returning a record that another tracker is deciding at the same moment is
   * harmless (one of them wins).
   *
   * <p>SQL: {@code SELECT ... WHERE state = 'PENDING' AND abandon_at <= ? ORDER BY abandon_at LIMIT
   * ?} (optionally {@code FOR UPDATE SKIP LOCKED} in a short transaction, so that nodes scanning at
   * once split the work instead of racing for it).
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
}
