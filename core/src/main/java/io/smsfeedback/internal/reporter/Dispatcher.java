package io.smsfeedback.internal.reporter;

import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reporter's dispatcher: a short coordinator of its parts. It moves the {@link Intake}'s
 * arrivals into the {@link DeliverySchedule}, starts {@link Attempts} as the schedule and the
 * {@link ConcurrencyLimit} allow (every answer adapts the limit), hands each answer to the {@link
 * RetryPolicy} or counts it in {@link Outcomes}, and shuts down. Every change of its state is one
 * {@link #transition}: a step runs under {@link #lock} and collects {@link Effects} (transport
 * calls, listener calls, logging) that run after the lock is released, on the thread that made the
 * change.
 *
 * <p>Lock discipline: {@link #lock} guards every field from it on, and the schedule, the attempts
 * and the outcomes, which are not thread-safe; a step holds it briefly and never calls out (its
 * effects do, after). The {@link Intake}'s monitor is taken inside {@code lock} when both are
 * needed, never the other way round: {@link #stats()} holds both, so every transition is wholly in
 * a snapshot or not at all, and the snapshot balances.
 */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** What the dispatcher needs from the reporter that owns its thread. */
  interface Runtime extends DeliverySchedule.Timer {
    /** Runs {@code task} on the dispatcher's thread (or at once, once it is gone). */
    void dispatch(Runnable task);

    /** The drain to run after the linger time. */
    Runnable lookAgain();

    /** Closes the transport and the own executor, and completes termination; after the lock. */
    void release();
  }

  private enum Lifecycle {
    RUNNING,
    CLOSING,
    CLOSED
  }

  private final FeedbackSettings settings;
  private final Clock clock;
  private final RetryPolicy policy;
  private final Intake intake;
  private final Effects.Context effects;
  private final Runtime runtime;
  private final long lingerNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final DeliverySchedule schedule;
  private final Outcomes outcomes;
  private final Attempts attempts;
  private final ConcurrencyLimit limit;
  /** Answers waiting for the dispatcher ({@link #onAnswer}); any thread adds, it takes. */
  private final ConcurrentLinkedQueue<Attempts.Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean answersScheduled = new AtomicBoolean();
  private final Runnable takeAnswers =
      () -> {
        answersScheduled.set(false);
        transition(Dispatcher::answersLocked, this);
      };
  /** Written under lock; volatile for the drain loop's unlocked look ({@link #closed()}). */
  private volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  private @Nullable Instant shutdownAt;
  private @Nullable ScheduledFuture<?> shutdownTimer;
  private @Nullable ScheduledFuture<?> lingerLook;

  Dispatcher(
      FeedbackSettings settings,
      Clock clock,
      RetryPolicy policy,
      Intake intake,
      Effects.Context effects,
      FeedbackTransport transport,
      Runtime runtime,
      long lingerNanos) {
    this.settings = settings;
    this.clock = clock;
    this.policy = policy;
    this.intake = intake;
    this.effects = effects;
    this.runtime = runtime;
    this.lingerNanos = lingerNanos;
    this.schedule =
        new DeliverySchedule(runtime, () -> transition(Dispatcher::onWakeup, this));
    this.outcomes = new Outcomes(settings);
    this.limit = new ConcurrencyLimit(settings.maxConcurrentRequests());
    this.attempts =
        new Attempts(transport, lock, runtime, this::onAnswer, effects.logs);
  }

  /**
   * Takes the arrivals in and drains; returns whether it lingers, i.e. scheduled another look
   * after the linger time (only if it took arrivals).
   */
  boolean takeAndDrain() {
    return transition(Dispatcher::takeAndDrainLocked, this);
  }

  boolean closed() {
    return lifecycle == Lifecycle.CLOSED;
  }

  /** Stops intake and delivers what it can within the shutdown timeout. Idempotent. */
  void close() {
    transition(Dispatcher::closeLocked, this);
  }

  /** Counts everything still queued or in flight as dropped (shutdown) and finishes. */
  void forceFinish() {
    transition(Dispatcher::forceFinishLocked, this);
  }

  /**
   * One step of the dispatcher, made under {@link #lock}; it collects effects that run after it.
   * Steps are unbound method references ({@code Dispatcher::drainLocked}) or fields, so that a
   * transition allocates nothing for them.
   */
  @FunctionalInterface
  private interface Step<T> {
    /** Returns what the caller wants to know afterwards (whether a drain lingers), else false. */
    boolean apply(T on, Effects fx);
  }

  /** Runs {@code step} under the lock, then its effects outside it; returns what it returned. */
  private <T> boolean transition(Step<T> step, T on) {
    Effects fx = effects.open();
    boolean result;
    lock.lock();
    try {
      result = step.apply(on, fx);
    } finally {
      lock.unlock();
    }
    fx.run();
    return result;
  }

  /** Returns whether it lingers: a look is scheduled after {@link #lingerNanos}. */
  private boolean takeAndDrainLocked(Effects fx) {
    boolean took = lifecycle != Lifecycle.CLOSED && intake.takeInto(schedule);
    drainLocked(fx);
    if (took && lingerNanos > 0 && lifecycle != Lifecycle.CLOSED) {
      lingerLook = runtime.schedule(runtime.lookAgain(), lingerNanos);
      return lingerLook != null;
    }
    return false;
  }

  private boolean onWakeup(Effects fx) {
    schedule.woke();
    return drainLocked(fx);
  }

  /** Moves due retries to the ready heap, expires what can no longer start, starts attempts. */
  private boolean drainLocked(Effects fx) {
    if (lifecycle == Lifecycle.CLOSED) {
      return false;
    }
    Instant now = clock.instant();
    long nowNanos = Nanos.epoch(now);
    schedule.promoteDue(nowNanos);
    Item it;
    while ((it = schedule.pollExpired(nowNanos)) != null) {
      outcomes.expired(it, now, fx);
    }
    long stopAt = shutdownAt == null ? Long.MAX_VALUE : Nanos.epoch(shutdownAt);
    while (attempts.count() < limit.limit() && (it = schedule.nextReady(now)) != null) {
      long timeout = policy.attemptTimeout(nowNanos, it.deadline, stopAt);
      if (timeout == 0) {
        break; // closing: too late to start before the shutdown timeout; dropped then
      }
      schedule.started();
      Attempt attempt = attempts.start(it, Duration.ofNanos(timeout), now, fx);
      attempt.window = limit.window();
      outcomes.started(attempt);
    }
    schedule.scheduleWakeup(now, nowNanos);
    afterChangeLocked(fx);
    return false;
  }

  /**
   * An answer, an error or a guard's timeout, from any thread (the I/O thread, mostly): queued, and
   * the dispatcher takes every queued one in one transition, with one drain after them, instead of
   * a task, a lock and a drain per answer. A task is scheduled only when none is pending: the flag
   * is cleared before the queue is read, so an answer queued after that read schedules the next.
   */
  private void onAnswer(Attempts.Answer answer) {
    answers.add(answer);
    if (answersScheduled.compareAndSet(false, true)) {
      runtime.dispatch(takeAnswers);
    }
  }

  private boolean answersLocked(Effects fx) {
    Attempts.Answer answer;
    while ((answer = answers.poll()) != null) {
      answeredLocked(answer, fx);
    }
    return drainLocked(fx);
  }

  private void answeredLocked(Attempts.Answer answer, Effects fx) {
    Item it = answer.item;
    Attempt attempt = answer.attempt;
    Instant now = clock.instant();
    TransportResult result = attempts.end(answer, now, fx);
    if (result == null) {
      return; // stale: the guard fired, or shutdown dropped it
    }
    limit.answered(result, attempt.window, schedule.hasBacklog());
    switch (result.kind()) {
      case DELIVERED -> outcomes.delivered(it, result, now, fx);
      case REJECTED -> outcomes.rejected(it, result, now, fx);
      case RETRYABLE -> {
        // an item retries after each failed attempt: failures = attempts
        Duration pause = policy.pause(result);
        if (pause != null) {
          schedule.pauseUntil(now.plus(pause));
        }
        long nowNanos = Nanos.epoch(now);
        attempt.retryAt = policy.retryAt(nowNanos, pause, it.attempts(), it.deadline);
        schedule.retryLater(it);
        outcomes.retrying(result, pause, now, fx);
      }
    }
  }

  private void afterChangeLocked(Effects fx) {
    intake.queued(schedule.size());
    if (schedule.isEmpty() && attempts.count() == 0) {
      idle.signalAll();
      if (lifecycle == Lifecycle.CLOSING) {
        finishLocked(fx);
      }
    }
  }

  void signalIdle() {
    lock.lock();
    try {
      idle.signalAll(); // flush() also waits for listeners to hear the last transitions
    } finally {
      lock.unlock();
    }
  }

  private boolean closeLocked(Effects fx) {
    if (lifecycle != Lifecycle.RUNNING) {
      return false;
    }
    Instant now = clock.instant();
    lifecycle = Lifecycle.CLOSING;
    intake.close(); // from here on, report() refuses: no more arrivals
    if (intake.takeInto(schedule)) {
      // not left to a lingering drain's next look
      fx.add(() -> runtime.dispatch(() -> transition(Dispatcher::drainLocked, this)));
    }
    shutdownAt = now.plus(settings.shutdownTimeout());
    long left = schedule.size() + attempts.count();
    fx.add(
        () ->
            log.debug(
                "Closing: {} feedback(s) to deliver within {}",
                left,
                Durations.format(settings.shutdownTimeout())));
    if (left == 0) {
      finishLocked(fx);
    } else if (settings.shutdownTimeout().isZero()) {
      forceFinishLocked(fx);
    } else {
      shutdownTimer =
          runtime.schedule(this::forceFinish, Nanos.of(settings.shutdownTimeout()));
    }
    return false;
  }

  /** Counts everything still queued or in flight as dropped (shutdown) and finishes. */
  private boolean forceFinishLocked(Effects fx) {
    if (lifecycle != Lifecycle.CLOSING) {
      return false;
    }
    Instant now = clock.instant();
    intake.takeInto(schedule);
    List<Item> left = schedule.removeAll();
    left.addAll(attempts.items());
    left.sort(Item.EARLIEST_DEADLINE);
    intake.queued(0);
    for (Item it : left) {
      attempts.drop(it, fx);
      outcomes.droppedShutdown(it, now, fx);
    }
    if (!left.isEmpty()) {
      int n = left.size();
      fx.add(
          () ->
              log.warn(
                  "Closed with {} feedback(s) not delivered within {} ({}): counted as dropped",
                  n,
                  FeedbackSettings.SHUTDOWN_TIMEOUT,
                  Durations.format(settings.shutdownTimeout())));
    }
    finishLocked(fx);
    return false;
  }

  private void finishLocked(Effects fx) {
    lifecycle = Lifecycle.CLOSED; // the intake refuses since closing began
    schedule.cancelWakeup();
    if (shutdownTimer != null) {
      shutdownTimer.cancel(false);
      shutdownTimer = null;
    }
    if (lingerLook != null) {
      lingerLook.cancel(false); // closed: no more arrivals to look for
      lingerLook = null;
    }
    idle.signalAll();
    fx.add(runtime::release);
  }

  ReporterStats stats() {
    lock.lock();
    try {
      return intake.stats(outcomes, schedule.size(), attempts.count());
    } finally {
      lock.unlock();
    }
  }

  boolean flush(Duration timeout) {
    long nanos = Nanos.of(timeout);
    lock.lock();
    try {
      while (!(schedule.isEmpty() && attempts.count() == 0 && intake.idle())) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Nullable Instant pausedUntil() {
    lock.lock();
    try {
      return schedule.pausedUntil(clock.instant());
    } finally {
      lock.unlock();
    }
  }

  /** How many attempts may be in flight now (adapts; at most {@code max-concurrent-requests}). */
  int concurrencyLimit() {
    lock.lock();
    try {
      return limit.limit();
    } finally {
      lock.unlock();
    }
  }

  String state() {
    return lifecycle.name();
  }
}
