package io.smsfeedback.internal.reporter;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.LogOnce;
import io.smsfeedback.internal.transport.HttpClientTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts in flight: starting one (the transport call runs as an effect, after the lock), the
 * guard timer that ends an attempt whose transport stays silent (for transports other than the
 * library's own, which bounds its attempts itself), telling a current answer from a
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

  /**
   * How an attempt ended, on its way to the dispatcher: its answer, its error, or the guard's
   * timeout. Runs (on the dispatcher) by handing itself to where answers go.
   */
  static final class Answer implements Runnable {
    final Item item;
    final Attempt attempt;
    final @Nullable TransportResult result;
    final @Nullable Throwable error;
    final boolean timedOut;
    private final Consumer<Answer> to;

    Answer(
        Item item,
        Attempt attempt,
        @Nullable TransportResult result,
        @Nullable Throwable error,
        boolean timedOut,
        Consumer<Answer> to) {
      this.item = item;
      this.attempt = attempt;
      this.result = result;
      this.error = error;
      this.timedOut = timedOut;
      this.to = to;
    }

    @Override
    public void run() {
      to.accept(this);
    }
  }

  private final FeedbackTransport transport;
  private final ReentrantLock lock;
  private final DeliverySchedule.Timer timer;
  /** Where answers, errors and guard timeouts go, from any thread; called without the lock. */
  private final Consumer<Answer> answers;
  private final LogOnce logs;
  private final Set<Item> items = new LinkedHashSet<>();
  /**
   * Whether attempts need the guard timer: not with the library's own {@link HttpClientTransport},
   * whose futures complete at the attempt's timeout by themselves (its hard timer), a second before
   * the guard would; a timer less to schedule and cancel per attempt.
   */
  private final boolean guarded;

  Attempts(
      FeedbackTransport transport,
      ReentrantLock lock,
      DeliverySchedule.Timer timer,
      Consumer<Answer> answers,
      LogOnce logs) {
    this.transport = transport;
    this.lock = lock;
    this.timer = timer;
    this.answers = answers;
    this.logs = logs;
    this.guarded = !(transport instanceof HttpClientTransport);
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
            future.isDone() || !guarded
                ? null // already answered, or bounded by the transport itself: nothing to guard
                : timer.schedule(
                    new Answer(it, attempt, null, null, true, answers),
                    Nanos.plus(Nanos.of(timeout), Nanos.of(GUARD_SLACK)));
      }
    } finally {
      lock.unlock();
    }
    if (!current) {
      future.cancel(true); // dropped by shutdown while we were calling the transport
      return;
    }
    future.whenComplete((r, e) -> answers.accept(new Answer(it, attempt, r, e, false, answers)));
  }

  /**
   * Ends the answer's attempt and tells listeners; returns its result, or null if the attempt is no
   * longer in flight (a stale callback).
   */
  @Nullable TransportResult end(Answer answer, Instant now, Effects fx) {
    Item it = answer.item;
    Attempt attempt = answer.attempt;
    boolean timedOut = answer.timedOut;
    if (!it.inFlight(attempt)) {
      return null; // stale: the guard fired, or shutdown dropped it
    }
    items.remove(it);
    CompletableFuture<TransportResult> future = attempt.end(timedOut);
    if (timedOut && future != null) {
      fx.add(() -> future.cancel(true));
    }
    TransportResult result =
        answer.result != null
            ? answer.result
            : TransportResult.ioError(timedOut ? "timeout" : Outcomes.describe(answer.error));
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
