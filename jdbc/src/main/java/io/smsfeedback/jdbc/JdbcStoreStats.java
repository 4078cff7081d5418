package io.smsfeedback.jdbc;

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
 */
public record JdbcStoreStats(
    long redelivered, long settled, long released, long held, long backlog, long writeFailures) {}
