package io.smsfeedback.jdbc.internal;

import io.smsfeedback.FeedbackListener;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox of one store, made when the store is built with {@code outbox(true)} and
 * never switched on later: the leases this node holds on the outcomes its reporter is delivering,
 * and the {@link DeliveryWriter} (listener and writer thread, started here) that settles them.
 *
 * <p><b>Ownership.</b> This class alone owns {@code held}. Outcomes come in by {@link #hold} (the
 * store's decisions on request threads, its claims on the tracker's scan thread) and go out by
 * {@link #release}, the hand-off the writer's listener makes on the reporter's threads when a
 * delivery ends; {@code held} is a concurrent map for exactly these two. Renewal ({@link #renew})
 * reads and rewrites it: on the writer thread every 100 ms while the store is open, and when the
 * tracker's scan asks ({@code renewLeases}); one renewal at a time ({@code this}'s monitor guards
 * {@code lastRenewal}).
 */
final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(JdbcTrackingStore.class);

  /** An outcome this node's reporter is delivering: its send time and its lease as written. */
  private record Held(Instant sentAt, Instant leaseUntil) {}

  /** Runs work on a connection of the store ({@code DefaultJdbcTrackingStore.run}). */
  @FunctionalInterface
  interface Runner {
    int run(String operation, DefaultJdbcTrackingStore.SqlWork<Integer> work);
  }

  private final Map<UUID, Held> held = new ConcurrentHashMap<>();
  private final Sql sql;
  private final UUID node;
  private final Duration lease;
  private final Clock clock;
  private final Runner runner;
  private final DeliveryWriter writer;

  /** Guarded by {@code this}. */
  private Instant lastRenewal = Instant.MIN;

  /**
   * An outbox whose writer, once {@link #start}ed, renews the leases and then runs {@code
   * alsoOnWriter} (the store's retried writes) every 100 ms, and writes delivery results, until
   * {@link #close}.
   */
  Outbox(
      DataSource dataSource,
      Sql sql,
      UUID node,
      Duration lease,
      Clock clock,
      Runner runner,
      Runnable alsoOnWriter) {
    this.sql = sql;
    this.node = node;
    this.lease = lease;
    this.clock = clock;
    this.runner = runner;
    this.writer =
        new DeliveryWriter(dataSource, sql, node, this::release, () -> renewThen(alsoOnWriter));
  }

  /** Starts the writer thread (when the store is built); returns this outbox. */
  Outbox start() {
    writer.start();
    return this;
  }

  /** The lease of an outcome decided or claimed at {@code leaseNow}. */
  Instant leaseUntil(Instant leaseNow) {
    return leaseNow.plus(lease);
  }

  /** This node's reporter now delivers {@code umid}, leased until {@code leaseUntil}. */
  void hold(UUID umid, Instant sentAt, Instant leaseUntil) {
    held.put(umid, new Held(sentAt, leaseUntil));
  }

  /** The delivery of {@code umid} ended (the writer's listener): its lease is no longer renewed. */
  private void release(UUID umid) {
    held.remove(umid);
  }

  int held() {
    return held.size();
  }

  FeedbackListener listener() {
    return writer;
  }

  DeliveryWriter writer() {
    return writer;
  }

  private void renewThen(Runnable alsoOnWriter) {
    try {
      renew(Instant.MIN);
    } finally {
      alsoOnWriter.run();
    }
  }

  /**
   * Forgets held outcomes sent at or before {@code sentAfter} (past their window), then extends
   * the leases of the rest, at most every quarter lease, only those ending within half a lease (as
   * this node last wrote them: nothing to write while deliveries take less than half a lease). One
   * JDBC batch of single-row updates in umid order (the writer's lock order).
   */
  synchronized void renew(Instant sentAfter) {
    Instant leaseNow = clock.instant();
    held.values().removeIf(h -> !h.sentAt().isAfter(sentAfter));
    if (held.isEmpty() || leaseNow.isBefore(lastRenewal.plus(lease.dividedBy(4)))) {
      return;
    }
    lastRenewal = leaseNow;
    Instant renewBefore = leaseNow.plus(lease.dividedBy(2));
    List<UUID> due = new ArrayList<>();
    held.forEach(
        (umid, h) -> {
          if (h.leaseUntil().isBefore(renewBefore)) {
            due.add(umid);
          }
        });
    if (due.isEmpty()) {
      return;
    }
    due.sort(Comparator.naturalOrder());
    Instant until = leaseUntil(leaseNow);
    int renewed =
        runner.run(
            "renewLeases",
            c -> {
              try (PreparedStatement ps = c.prepareStatement(sql.renew)) {
                for (UUID umid : due) {
                  DefaultJdbcTrackingStore.setInstant(ps, 1, until);
                  ps.setObject(2, umid);
                  ps.setObject(3, node);
                  ps.addBatch();
                }
                int n = 0;
                for (int count : ps.executeBatch()) {
                  n += Math.max(count, 0);
                }
                return n;
              }
            });
    for (UUID umid : due) {
      held.computeIfPresent(umid, (k, h) -> new Held(h.sentAt(), until));
    }
    log.trace("renewed {} of {} delivery lease(s)", renewed, due.size());
  }

  boolean flush(Duration timeout) {
    return writer.flush(timeout);
  }

  /** Writes the results still waiting (up to {@code timeout}) and stops the writer thread. */
  void close(Duration timeout) {
    writer.close(timeout);
  }
}
