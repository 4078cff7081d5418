package io.smsfeedback.jdbc;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a {@link JdbcTrackingStore}'s outbox counters (this node only). Each counter is
 * exact; the snapshot is not taken atomically across counters.
 *
 * @param redelivered undelivered outcomes this node claimed from the outbox (decided by a node that
 *     stopped or gave them up) and handed back to its tracker to report again
 * @param settled outcomes this node marked settled (its reporter ended them DELIVERED, REJECTED or
 *     EXPIRED)
 * @param released outcomes whose lease this node gave up because its reporter dropped them
 * @param held outcomes this node's reporter is delivering now (their leases are renewed)
 * @param backlog delivery results waiting to be written to the database
 * @param writeFailures failed attempts to write delivery results (each retried), plus results
 *     dropped because the backlog was full or the store closed
 * @param callFailures tracker calls (made on request threads) that failed, took longer than the
 *     statement timeout, or were not tried because the store was degraded; each is also a tracker
 *     error (the signal had no effect)
 * @param retriedWrites of those calls, the writes (a send, a decision, a wrong code) that were
 *     kept and written later, off the request thread (only with the outbox on)
 * @param lostWrites writes that failed on a request thread and could not be written later either
 *     (the OTP's window closed, too many waited, or the store closed; or the outbox is off, where
 *     they are only tracker errors and not counted here)
 * @param degradedSince when the store became degraded (a call failed or timed out, and none has
 *     succeeded since), or null while it is not
 */
public record JdbcStoreStats(
    long redelivered,
    long settled,
    long released,
    long held,
    long backlog,
    long writeFailures,
    long callFailures,
    long retriedWrites,
    long lostWrites,
    @Nullable Instant degradedSince) {

  /** Whether the store is degraded: its calls fail at once, or are tried again once a second. */
  public boolean degraded() {
    return degradedSince != null;
  }
}
