package io.smsfeedback.jdbc.internal;

import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracker writes (a send, a decision, a wrong code) that failed or timed out on a request thread,
 * kept in memory and written again off the request thread, on the outbox's writer thread, oldest
 * first, until their OTP's feedback window closes. Each write is idempotent or a compare-and-set,
 * so writing it again is harmless when the first try committed after all. A decision written this
 * way is not held by the reporter: its delivery lease has already run out, so the next scan of any
 * node claims and reports it.
 *
 * <p>State: the queue is guarded by {@code this}; {@code nextAttemptNanos} is the writer thread's.
 */
final class RetriedWrites {

  private static final Logger log = LoggerFactory.getLogger(JdbcTrackingStore.class);

  /** Writes kept at most; beyond, a failed write is lost (counted). */
  static final int CAPACITY = 10_000;

  /** After a failed retry, how long until the next. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** A write to try again. */
  @FunctionalInterface
  interface Attempt {
    void run();
  }

  private record Write(String operation, Instant until, Attempt attempt) {}

  private final Clock clock;
  private final ArrayDeque<Write> queue = new ArrayDeque<>();
  private final LongAdder retried = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final AtomicBoolean warned = new AtomicBoolean();
  private long nextAttemptNanos = System.nanoTime();

  RetriedWrites(Clock clock) {
    this.clock = clock;
  }

  /** Keeps {@code attempt} to run again until {@code until} (the end of the OTP's window). */
  void add(String operation, Instant until, Attempt attempt) {
    synchronized (this) {
      if (queue.size() < CAPACITY) {
        queue.add(new Write(operation, until, attempt));
        return;
      }
    }
    lose(operation, "more than " + CAPACITY + " writes wait to be tried again");
  }

  /** On the writer thread: writes what is kept, oldest first; stops at the first failure. */
  void run() {
    if (System.nanoTime() - nextAttemptNanos < 0) {
      return;
    }
    while (true) {
      Write w;
      synchronized (this) {
        w = queue.peek();
      }
      if (w == null) {
        return;
      }
      if (clock.instant().isAfter(w.until())) {
        remove(w);
        lose(w.operation(), "the OTP's feedback window closed before the database answered");
        continue;
      }
      try {
        w.attempt().run();
      } catch (RuntimeException e) {
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY.toMillis());
        log.debug("sms-feedback JDBC store: {} failed again; retrying", w.operation(), e);
        return;
      }
      remove(w);
      retried.increment();
    }
  }

  /** At close: what is still kept is lost. */
  void abandon() {
    int n;
    synchronized (this) {
      n = queue.size();
      queue.clear();
    }
    if (n > 0) {
      lost.add(n);
      log.warn(
          "sms-feedback JDBC store closed with {} tracker write(s) not yet written; lost", n);
    }
  }

  /** Writes that failed on a request thread and were written later. */
  long retried() {
    return retried.sum();
  }

  /** Writes that failed on a request thread and could not be written later either. */
  long lost() {
    return lost.sum();
  }

  private synchronized void remove(Write w) {
    if (queue.peek() == w) {
      queue.poll();
    }
  }

  private void lose(String operation, String why) {
    lost.increment();
    if (warned.compareAndSet(false, true)) {
      log.warn(
          "sms-feedback JDBC store: a tracker write ({}) is lost: {} (further losses are logged"
              + " at DEBUG and counted in the store's lostWrites)",
          operation,
          why);
    } else {
      log.debug("sms-feedback JDBC store: a tracker write ({}) is lost: {}", operation, why);
    }
  }
}
