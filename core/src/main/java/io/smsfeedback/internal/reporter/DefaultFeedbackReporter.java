package io.smsfeedback.internal.reporter;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.DaemonThreads;
import io.smsfeedback.internal.Durations;
import io.smsfeedback.internal.LogOnce;
import io.smsfeedback.internal.transport.HttpClientTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FeedbackReporter}: the coordinator of its parts. {@link Intake} takes reports
 * on the callers' threads; the dispatcher (this class) moves them into the {@link
 * DeliverySchedule}, starts attempts, hands answers to the {@link RetryPolicy} and counts them in
 * {@link Outcomes}. Every change of the dispatcher's state is one {@link #transition}: its step
 * runs under {@link #lock} and collects {@link Effects} (transport calls, listener calls, logging)
 * that run after the lock is released. Transport completions and timers hop back onto the
 * dispatcher's executor.
 *
 * <p>A report wakes the dispatcher only when no drain is scheduled or running ({@link #drain}); the
 * drain clears that flag and then looks at the arrivals once more, so a feedback reported while it
 * finishes is either seen by it or wakes a new drain.
 */
public final class DefaultFeedbackReporter implements FeedbackReporter {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** No attempt starts with this little time (or less) left before its deadline: it expires. */
  public static final Duration MIN_ATTEMPT_TIME = RetryPolicy.MIN_ATTEMPT_TIME;
  /** How long after an attempt's timeout the reporter stops waiting for a silent transport. */
  public static final Duration GUARD_SLACK = Attempts.GUARD_SLACK;
  /** At most one ERROR about a refused API key per this interval. */
  public static final Duration AUTH_LOG_INTERVAL = Outcomes.AUTH_LOG_INTERVAL;
  /** What {@link #close()} waits beyond the shutdown timeout before it finishes by itself. */
  public static final Duration CLOSE_SLACK = Duration.ofMillis(500);
  /** Name of the reporter's own dispatcher thread. */
  public static final String THREAD_NAME = "sms-feedback-reporter";
  /**
   * How long the reporter's own dispatcher waits, after a drain that found new reports, before it
   * looks for more: reports in that time cost no thread wake-up. A given scheduler gets none.
   */
  public static final Duration LINGER = Duration.ofMillis(10);

  private enum Lifecycle {
    RUNNING,
    CLOSING,
    CLOSED
  }

  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;

  private final FeedbackSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final FeedbackTransport transport;
  private final LogOnce logs = new LogOnce(log);
  private final RetryPolicy policy;
  private final long lingerNanos;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile @Nullable Thread ownThread;
  /** {@link #SCHEDULED} while a drain is scheduled or running and will look at the arrivals. */
  private final AtomicInteger drain = new AtomicInteger(IDLE);
  private final Effects.Context effects;
  /** Thread-safe: its own monitor, taken after {@link #lock} when both are held. */
  private final Intake intake;

  /*
   * Lock discipline: lock guards every field below, the schedule and the outcomes; the dispatcher's
   * steps take it briefly and never call out while holding it (Effects run after). Holding both,
   * take lock first, then the intake's monitor: stats() does, so every transition is wholly in a
   * snapshot or not at all, and the snapshot balances.
   */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final DeliverySchedule schedule;
  private final Outcomes outcomes;
  private final Attempts attempts;
  /** Written under lock; volatile for the drain loop's unlocked look. */
  private volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  private @Nullable Instant shutdownAt;
  private @Nullable ScheduledFuture<?> shutdownTimer;
  private @Nullable ScheduledFuture<?> lingerLook;

  /**
   * Use {@link FeedbackReporter#builder(FeedbackSettings)}. Null parts get their defaults; the own
   * dispatcher lingers ({@link #LINGER}), a given scheduler does not.
   */
  public DefaultFeedbackReporter(
      FeedbackSettings settings,
      Clock clock,
      @Nullable ScheduledExecutorService scheduler,
      DoubleSupplier jitter,
      @Nullable FeedbackTransport transport,
      List<FeedbackListener> listeners) {
    this(
        settings,
        clock,
        scheduler,
        jitter,
        transport,
        listeners,
        scheduler == null ? LINGER : Duration.ZERO);
  }

  /** With an explicit linger time (zero: none); for tests. */
  DefaultFeedbackReporter(
      FeedbackSettings settings,
      Clock clock,
      @Nullable ScheduledExecutorService scheduler,
      DoubleSupplier jitter,
      @Nullable FeedbackTransport transport,
      List<FeedbackListener> listeners,
      Duration linger) {
    this.settings = settings;
    this.clock = clock;
    this.lingerNanos = Nanos.of(linger);
    this.policy = new RetryPolicy(settings, jitter);
    this.effects = new Effects.Context(new SafeListener(listeners, logs), logs, this::signalIdle);
    this.intake = new Intake(settings, effects);
    this.schedule = new DeliverySchedule(this::schedule, () -> transition(this::onWakeup));
    this.outcomes = new Outcomes(settings);
    this.ownsExecutor = scheduler == null;
    this.executor = scheduler != null ? scheduler : newDispatcher();
    try {
      this.transport = transport != null ? transport : HttpClientTransport.create(settings, clock);
    } catch (RuntimeException | Error e) {
      if (ownsExecutor) {
        executor.shutdownNow();
      }
      throw e;
    }
    this.attempts =
        new Attempts(this.transport, lock, this::schedule, this::dispatch, this::onResult, logs);
  }

  private ScheduledExecutorService newDispatcher() {
    ScheduledThreadPoolExecutor e = DaemonThreads.scheduler(THREAD_NAME, t -> ownThread = t);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  // ---------------------------------------------------------------- intake

  @Override
  public boolean report(Feedback feedback) {
    try {
      return offer(feedback);
    } catch (RuntimeException e) {
      // Unreachable unless a bug or a broken Clock: report() must not throw anyway.
      if (logs.first("report-failed")) {
        log.error("FeedbackReporter.report failed unexpectedly; the feedback is lost", e);
      }
      return false;
    }
  }

  private boolean offer(@Nullable Feedback feedback) {
    if (feedback == null) {
      if (logs.first("report-null")) {
        log.warn("FeedbackReporter.report(null) ignored");
      }
      return false;
    }
    Instant now = clock.instant();
    Effects refused = intake.offer(feedback, now, Nanos.epoch(now), policy.deadline(feedback));
    if (refused == null) {
      wake();
      return true;
    }
    refused.run();
    return false;
  }

  /** Wakes the dispatcher unless a drain is scheduled or running already. */
  private void wake() {
    if (drain.get() == IDLE && drain.compareAndSet(IDLE, SCHEDULED)) {
      dispatch(this::runDrain);
    }
  }

  // ---------------------------------------------------------------- dispatcher

  /** One step of the dispatcher: under {@link #lock}, collecting effects that run after it. */
  @FunctionalInterface
  private interface Step {
    /** Returns what the caller wants to know afterwards (whether a drain lingers), else false. */
    boolean apply(Effects fx);
  }

  /** Runs {@code step} under the lock, then its effects outside it; returns what it returned. */
  private boolean transition(Step step) {
    Effects fx = effects.open();
    boolean result;
    lock.lock();
    try {
      result = step.apply(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
    return result;
  }

  private void dispatch(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // only once the dispatcher is gone: keep the bookkeeping going
    }
  }

  private @Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (logs.first("scheduler-rejected")) {
        log.warn("The reporter's scheduler refused a task; is it shut down?");
      }
      return null;
    }
  }

  /**
   * Takes the arrivals in and drains. If there were some and the reporter has a linger time, it
   * looks again after that time and stays {@link #SCHEDULED} meanwhile, so that the reports of a
   * burst wake nobody; once a drain finds no arrivals it stops. Only this task (and closing) takes
   * the arrivals: answers and timers leave them to it, so the dispatcher takes the intake monitor
   * once a look, not once an answer.
   *
   * <p>Clearing {@link #drain} and then looking at the arrivals (under the intake monitor, which
   * the report that appended them released before it read the flag) means that a concurrent report
   * either sees the flag cleared and wakes a new drain, or its feedback is seen here; if both, the
   * compare-and-set lets only one of them go on. So no feedback waits in the arrivals while no
   * drain is scheduled.
   */
  private void runDrain() {
    do {
      if (transition(this::takeAndDrainLocked)) {
        return; // still SCHEDULED: reports until the next look need not wake anybody
      }
      drain.set(IDLE);
    } while (lifecycle != Lifecycle.CLOSED
        && intake.hasArrivals()
        && drain.compareAndSet(IDLE, SCHEDULED));
  }

  /** Returns whether it lingers: a look is scheduled after {@link #lingerNanos}. */
  private boolean takeAndDrainLocked(Effects fx) {
    boolean took = lifecycle != Lifecycle.CLOSED && intake.takeInto(schedule);
    drainLocked(fx);
    if (took && lingerNanos > 0 && lifecycle != Lifecycle.CLOSED) {
      lingerLook = schedule(this::runDrain, lingerNanos);
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
    while (attempts.count() < settings.maxConcurrentRequests()
        && (it = schedule.nextReady(now)) != null) {
      long timeout = policy.attemptTimeout(nowNanos, it.deadline, stopAt);
      if (timeout == 0) {
        break; // closing: too late to start before the shutdown timeout; dropped then
      }
      schedule.started();
      outcomes.started(attempts.start(it, Duration.ofNanos(timeout), now, fx));
    }
    schedule.scheduleWakeup(now, nowNanos);
    afterChangeLocked(fx);
    return false;
  }

  private void onResult(
      Item it,
      Attempt attempt,
      @Nullable TransportResult answer,
      @Nullable Throwable error,
      boolean timedOut) {
    transition(fx -> answeredLocked(it, attempt, answer, error, timedOut, fx));
  }

  private boolean answeredLocked(
      Item it,
      Attempt attempt,
      @Nullable TransportResult answer,
      @Nullable Throwable error,
      boolean timedOut,
      Effects fx) {
    Instant now = clock.instant();
    TransportResult result = attempts.end(it, attempt, answer, error, timedOut, now, fx);
    if (result == null) {
      return false; // stale: the guard fired, or shutdown dropped it
    }
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
    return drainLocked(fx);
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

  private void signalIdle() {
    lock.lock();
    try {
      idle.signalAll(); // flush() also waits for listeners to hear the last transitions
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- shutdown

  @Override
  public CompletableFuture<Void> closeAsync() {
    transition(this::closeLocked);
    return terminated.copy();
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
      fx.add(() -> dispatch(() -> transition(this::drainLocked)));
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
          schedule(() -> transition(this::forceFinishLocked), Nanos.of(settings.shutdownTimeout()));
    }
    return false;
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = closeAsync();
    if (Thread.currentThread() == ownThread) {
      return; // called from a listener: waiting here would block the very thread that drains
    }
    try {
      done.get(Nanos.of(settings.shutdownTimeout().plus(CLOSE_SLACK)), TimeUnit.NANOSECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the dispatcher did not finish in time (busy, or a scheduler nobody runs): finish here
    }
    transition(this::forceFinishLocked);
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
    fx.add(this::release);
  }

  private void release() {
    try {
      transport.close();
    } catch (RuntimeException e) {
      log.warn("FeedbackTransport.close threw; ignored", e);
    }
    if (ownsExecutor) {
      executor.shutdown();
    }
    terminated.complete(null);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public ReporterStats stats() {
    lock.lock();
    try {
      return intake.stats(outcomes, schedule.size(), attempts.count());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean flush(Duration timeout) {
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

  /** Whether new attempts are paused by a {@code Retry-After}, and until when; for tests, health. */
  public @Nullable Instant pausedUntil() {
    lock.lock();
    try {
      return schedule.pausedUntil(clock.instant());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "FeedbackReporter{state="
        + lifecycle
        + ", settings="
        + settings
        + ", transport="
        + transport
        + '}';
  }
}
