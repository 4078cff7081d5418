package io.smsfeedback.jdbc.internal;

import io.smsfeedback.internal.DaemonThreads;
import io.smsfeedback.config.Durations;
import io.smsfeedback.jdbc.JdbcStoreException;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's calls made on a caller's thread (a request thread, through the tracker), each bounded
 * in time: the work runs on the store's own daemon threads ({@value #THREAD_NAME}) and the caller
 * waits at most the statement timeout plus {@link #MARGIN}, whatever the database or the pool does
 * (a table lock, a pool waiting for a connection to a stopped database). A call that fails or
 * times out marks the store degraded: for {@link #RETRY} after it, calls fail at once without
 * touching the database; then the next call tries again, and the first that succeeds ends the
 * degraded state.
 *
 * <p>A call that timed out keeps running on its thread until the database's own timeouts (or the
 * pool's) end it; what it wrote, if anything, stays written (see the store's README: a decision
 * written late is delivered through the outbox).
 *
 * <p>State: {@code degradedSince} and {@code retryAt} are written by callers that saw a failure or a
 * success; races between those only move the retry by a call.
 */
final class BoundedCalls {

  private static final Logger log = LoggerFactory.getLogger(JdbcTrackingStore.class);

  /** Name of the threads that run bounded calls. */
  static final String THREAD_NAME = "sms-feedback-jdbc-call";

  /** Threads at most; idle ones end after {@link #KEEP_ALIVE_SECONDS}. */
  static final int THREADS = 16;

  /** Calls waiting for a thread at most; beyond, a call fails at once. */
  static final int QUEUE = 1024;

  /** How long calls fail at once after a failure before one tries the database again. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** What the caller waits beyond the statement timeout, for the database's own error to arrive. */
  static final Duration MARGIN = Duration.ofMillis(50);

  private static final long KEEP_ALIVE_SECONDS = 30;

  private final Duration statementTimeout;
  private final long waitNanos;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final LongAdder failures = new LongAdder();
  private volatile @Nullable Instant degradedSince;
  private volatile long retryAt;

  BoundedCalls(Duration statementTimeout, Clock clock) {
    this.statementTimeout = statementTimeout;
    this.waitNanos = statementTimeout.plus(MARGIN).toNanos();
    this.clock = clock;
    AtomicInteger numbers = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            DaemonThreads.factory(
                () -> THREAD_NAME + "-" + numbers.incrementAndGet(),
                t -> {
                  threads.removeIf(old -> !old.isAlive());
                  threads.add(t);
                }));
    executor.allowCoreThreadTimeOut(true);
  }

  /** Work run on a store thread. */
  @FunctionalInterface
  interface Work<T> {
    /**
     * @param degraded whether the store was degraded when the call began: the work should then
     *     ask the database to bound it tightly, whatever that costs
     */
    T run(boolean degraded) throws Exception;
  }

  /**
   * Runs {@code work} and returns its result, or throws {@link JdbcStoreException} once the bound
   * has passed, at once while degraded, or with {@code work}'s own failure.
   */
  <T> T call(String operation, Work<T> work) {
    boolean degraded = degradedSince != null;
    if (degraded && System.nanoTime() - retryAt < 0) {
      failures.increment();
      throw new JdbcStoreException(
          operation + " not tried: the store is degraded (the database failed or was too slow)",
          null);
    }
    Future<T> result;
    try {
      result = executor.submit(() -> work.run(degraded));
    } catch (RejectedExecutionException e) {
      throw failed(operation + " not tried: every store thread is busy", e);
    }
    try {
      T value = result.get(waitNanos, TimeUnit.NANOSECONDS);
      recovered();
      return value;
    } catch (TimeoutException e) {
      throw failed(
          operation
              + " timed out after "
              + JdbcTrackingStore.STATEMENT_TIMEOUT
              + " ("
              + Durations.format(statementTimeout)
              + ")",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JdbcStoreException store) {
        throw failed(store);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime; // not the database: a bug or a bad argument, not a degraded store
      }
      throw failed(operation + " failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JdbcStoreException(operation + " interrupted", e);
    }
  }

  /** When the store became degraded, or null while it is not. */
  @Nullable Instant degradedSince() {
    return degradedSince;
  }

  /** Calls that failed, timed out or were not tried because the store was degraded. */
  long failures() {
    return failures.sum();
  }

  /**
   * Stops the threads; calls still running are interrupted. Waits up to a second for them to end,
   * so that they are gone when the store's close returns (a web app's undeploy checks).
   */
  void close() {
    executor.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    try {
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JdbcStoreException failed(String message, @Nullable Throwable cause) {
    return failed(new JdbcStoreException(message, cause));
  }

  private JdbcStoreException failed(JdbcStoreException e) {
    failures.increment();
    retryAt = System.nanoTime() + RETRY.toNanos();
    if (degradedSince == null) {
      degradedSince = clock.instant();
      log.warn(
          "sms-feedback JDBC store degraded: {}. Tracker calls on request threads fail at once"
              + " (counted as tracker errors, the user's request goes on as without sms-feedback)"
              + " and one is tried again every {} until the database answers.",
          e.getMessage(),
          Durations.format(RETRY));
    }
    return e;
  }

  private void recovered() {
    Instant since = degradedSince;
    if (since != null) {
      degradedSince = null;
      log.info("sms-feedback JDBC store answers again (degraded since {})", since);
    }
  }
}
