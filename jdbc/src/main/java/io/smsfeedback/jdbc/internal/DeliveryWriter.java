package io.smsfeedback.jdbc.internal;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's listener and writer. {@link #onTerminal} (on the reporter's threads) only hands the
 * umid back to its {@link Outbox} (whose lease renewal stops) and queues the result; one daemon
 * thread runs the outbox's renewal of the leases this node holds (until the store closes, so also
 * while the reporter drains after the tracker closed) and writes queued results in
 * batches (one JDBC batch of single-row statements each, in umid order, so two writers never
 * deadlock), and retries a failed batch with backoff while the store is open. A delivered outcome is thus settled within
 * about one round trip, which is the whole window in which a crash makes it be reported twice.
 */
final class DeliveryWriter implements FeedbackListener, Runnable {

  private static final Logger log = LoggerFactory.getLogger(JdbcTrackingStore.class);

  /** Results waiting at most; beyond, new ones are dropped (their outcomes are reported again). */
  static final int CAPACITY = 100_000;

  static final int BATCH = 500;
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  private enum Kind {
    SETTLE,
    RELEASE
  }

  private record Mark(UUID umid, Kind kind) {}

  private final javax.sql.DataSource dataSource;
  private final Sql sql;
  private final UUID node;
  private final Consumer<UUID> handBack;
  private final Runnable renewal;
  private final LinkedBlockingQueue<Mark> queue = new LinkedBlockingQueue<>(CAPACITY);
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;
  private volatile @Nullable Thread thread;
  private final AtomicBoolean warned = new AtomicBoolean();

  private final Object progress = new Object();

  /** Results accepted into the queue and results written or given up; guarded by progress. */
  private long enqueued;

  private long finished;

  private final LongAdder settled = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder writeFailures = new LongAdder();

  DeliveryWriter(
      javax.sql.DataSource dataSource,
      Sql sql,
      UUID node,
      Consumer<UUID> handBack,
      Runnable renewal) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.node = node;
    this.handBack = handBack;
    this.renewal = renewal;
  }

  void start() {
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(this, JdbcTrackingStore.WRITER_THREAD_NAME);
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  @Override
  public void onTerminal(DeliveryEvent event) {
    UUID umid = event.feedback().umid();
    handBack.accept(umid);
    Kind kind =
        switch (event.state()) {
          case DELIVERED, REJECTED, EXPIRED -> Kind.SETTLE;
          case DROPPED -> Kind.RELEASE;
        };
    if (closed) {
      writeFailures.increment();
      log.debug("store closed: the {} of umid {} is not written", kind, umid);
      return;
    }
    synchronized (progress) {
      if (!queue.offer(new Mark(umid, kind))) {
        writeFailures.increment();
        warn(
            "the outbox's backlog is full ("
                + CAPACITY
                + "); a delivery result was not written"
                + " and its outcome will be reported again after its lease",
            null);
        return;
      }
      enqueued++;
    }
  }

  @Override
  public void run() {
    List<Mark> batch = new ArrayList<>(BATCH);
    long backoff = MIN_BACKOFF_NANOS;
    while (true) {
      try {
        renew();
        if (batch.isEmpty()) {
          Mark first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closed) {
              return;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
        try {
          write(batch);
          done(batch.size());
          batch.clear();
          backoff = MIN_BACKOFF_NANOS;
        } catch (SQLException | RuntimeException e) {
          writeFailures.increment();
          if (closed) {
            warn(
                "the store closed before "
                    + (batch.size() + queue.size())
                    + " delivery"
                    + " result(s) could be written; their outcomes will be reported again",
                e);
            done(batch.size() + drainAll());
            return;
          }
          warn("writing delivery results failed; retrying", e);
          TimeUnit.NANOSECONDS.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        }
      } catch (InterruptedException e) {
        done(batch.size() + drainAll());
        return;
      }
    }
  }

  /** Renews this node's delivery leases (rate-limited by the store); a failure waits for the next. */
  private void renew() {
    try {
      renewal.run();
    } catch (RuntimeException e) {
      log.debug("sms-feedback JDBC outbox: renewing delivery leases failed; retrying", e);
    }
  }

  /**
   * Writes one batch: the settles, then the releases, each a JDBC batch of single-row statements in
   * umid order. Every statement is idempotent (it matches only a row still undelivered), so a batch
   * that fails halfway is simply written again; no transaction is needed around it.
   */
  private void write(List<Mark> batch) throws SQLException {
    List<Mark> sorted = new ArrayList<>(batch);
    sorted.sort(Comparator.comparing(Mark::umid));
    try (Connection c = dataSource.getConnection()) {
      try {
        int settles = execute(c, sql.settle, sorted, Kind.SETTLE);
        int releases = execute(c, sql.release, sorted, Kind.RELEASE);
        if (!c.getAutoCommit()) {
          c.commit();
        }
        settled.add(settles);
        released.add(releases);
      } catch (SQLException | RuntimeException e) {
        if (!c.getAutoCommit()) {
          DefaultJdbcTrackingStore.rollbackQuietly(c);
        }
        throw e;
      }
    }
  }

  /** Runs {@code statement} for each mark of {@code kind}, as one JDBC batch; returns how many. */
  private int execute(Connection c, String statement, List<Mark> sorted, Kind kind)
      throws SQLException {
    int n = 0;
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      for (Mark m : sorted) {
        if (m.kind() == kind) {
          ps.setObject(1, m.umid());
          if (kind == Kind.RELEASE) {
            ps.setObject(2, node);
          }
          ps.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
    return n;
  }

  private int drainAll() {
    List<Mark> rest = new ArrayList<>();
    queue.drainTo(rest);
    return rest.size();
  }

  private void done(int n) {
    synchronized (progress) {
      finished += n;
      progress.notifyAll();
    }
  }

  /** Waits until everything queued before the call is written or given up. */
  boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long target = enqueued;
      while (finished < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || thread == null) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  void close(Duration timeout) {
    if (closed) {
      return;
    }
    flush(timeout);
    closed = true;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        t.interrupt();
      }
    }
  }

  long settled() {
    return settled.sum();
  }

  long released() {
    return released.sum();
  }

  long backlog() {
    synchronized (progress) {
      return enqueued - finished;
    }
  }

  long writeFailures() {
    return writeFailures.sum();
  }

  private void warn(String message, @Nullable Throwable e) {
    if (warned.compareAndSet(false, true)) {
      log.warn("sms-feedback JDBC outbox: {} (further problems are logged at DEBUG)", message, e);
    } else {
      log.debug("sms-feedback JDBC outbox: {}", message, e);
    }
  }
}
