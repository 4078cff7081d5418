package io.smsfeedback.internal.reporter;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.LogOnce;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts in flight: starting one (the transport call runs as an effect, after the lock), the
 * guard timer that ends an attempt whose transport stays silent, telling a current answer from a
 * stale one, and dropping them all at shutdown.
 *
 * <p>Lock discipline: {@link #items} and every {@link Attempt} are guarded by the reporter's
 * dispatcher lock, under which all methods are called but {@link #send}, the effect, which takes
 * that lock itself for its bookkeeping and calls the transport without it.
 */
final class Attempts {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** How long after an attempt's timeout the reporter stops waiting for a silent transport. */
  static final Duration GUARD_SLACK = Duration.ofSeconds(1);

  /** Where answers, errors and guard timeouts go; called without the lock. */
  @FunctionalInterface
  interface Answers {
    void answered(
        Item it,
        Attempt attempt,
        @Nullable TransportResult answer,
        @Nullable Throwable error,
        boolean timedOut);
  }

  private final FeedbackTransport transport;
  private final ReentrantLock lock;
  private final DeliverySchedule.Timer timer;
  /** Runs a task on the dispatcher (or, once it is gone, at once). */
  private final Executor dispatcher;
  private final Answers answers;
  private final LogOnce logs;
  private final Set<Item> items = new LinkedHashSet<>();

  Attempts(
      FeedbackTransport transport,
      ReentrantLock lock,
      DeliverySchedule.Timer timer,
      Executor dispatcher,
      Answers answers,
      LogOnce logs) {
    this.transport = transport;
    this.lock = lock;
    this.timer = timer;
    this.dispatcher = dispatcher;
    this.answers = answers;
    this.logs = logs;
  }

  int count() {
    return items.size();
  }

  /** Starts the next attempt of {@code it}; the transport is called when {@code fx} runs. */
  Attempt start(Item it, Duration timeout, Instant now, Effects fx) {
    Attempt attempt = new Attempt(it.attempts() + 1, now, it.last());
    it.attempt = attempt;
    items.add(it);
    fx.add(() -> send(it, attempt, timeout));
    return attempt;
  }

  private void send(Item it, Attempt attempt, Duration timeout) {
    CompletableFuture<TransportResult> f;
    try {
      f = transport.send(it.feedback, timeout);
    } catch (RuntimeException e) {
      if (logs.first("transport-threw")) {
        log.warn("FeedbackTransport.send threw instead of returning a result; treated as retryable", e);
      }
      f = CompletableFuture.completedFuture(TransportResult.ioError(e.getClass().getSimpleName()));
    }
    CompletableFuture<TransportResult> future =
        f != null ? f : CompletableFuture.completedFuture(TransportResult.ioError("NoFuture"));
    boolean current;
    lock.lock();
    try {
      current = it.inFlight(attempt);
      if (current) {
        attempt.future = future;
        attempt.guard =
            future.isDone()
                ? null // already answered: nothing to guard
                : timer.schedule(
                    () -> answers.answered(it, attempt, null, null, true),
                    Nanos.plus(Nanos.of(timeout), Nanos.of(GUARD_SLACK)));
      }
    } finally {
      lock.unlock();
    }
    if (!current) {
      future.cancel(true); // dropped by shutdown while we were calling the transport
      return;
    }
    future.whenComplete(
        (r, e) -> dispatcher.execute(() -> answers.answered(it, attempt, r, e, false)));
  }

  /**
   * Ends {@code attempt} with its answer (or error, or the guard's timeout) and tells listeners;
   * returns the result, or null if the attempt is no longer in flight (a stale callback).
   */
  @Nullable TransportResult end(
      Item it,
      Attempt attempt,
      @Nullable TransportResult answer,
      @Nullable Throwable error,
      boolean timedOut,
      Instant now,
      Effects fx) {
    if (!it.inFlight(attempt)) {
      return null; // stale: the guard fired, or shutdown dropped it
    }
    items.remove(it);
    CompletableFuture<TransportResult> future = attempt.end(timedOut);
    if (timedOut && future != null) {
      fx.add(() -> future.cancel(true));
    }
    TransportResult result =
        answer != null
            ? answer
            : TransportResult.ioError(timedOut ? "timeout" : Outcomes.describe(error));
    attempt.result = result;
    fx.attempt(
        new AttemptEvent(
            it.feedback,
            it.attempts(),
            result,
            Outcomes.nonNegative(attempt.startedAt, now),
            now));
    return result;
  }

  /** The items in flight, in start order; not to be changed but by {@link #drop}. */
  Set<Item> items() {
    return items;
  }

  /** Shutdown: ends {@code it}'s attempt if in flight; its future is cancelled when {@code fx} runs. */
  void drop(Item it, Effects fx) {
    Attempt attempt = it.attempt;
    if (attempt != null && attempt.inFlight) {
      items.remove(it);
      CompletableFuture<TransportResult> future = attempt.end(false);
      if (future != null) {
        fx.add(() -> future.cancel(true));
      }
    }
  }
}
