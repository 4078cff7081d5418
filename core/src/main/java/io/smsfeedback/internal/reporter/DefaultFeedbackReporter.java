package io.smsfeedback.internal.reporter;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryEvent.DropReason;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.internal.Durations;
import io.smsfeedback.internal.transport.HttpClientTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FeedbackReporter}.
 *
 * <p>Two locks. {@link #report} takes only the intake monitor: duplicate check, intake counters
 * and an append to the arrivals buffer. The dispatcher's state (queues, in-flight attempts, the
 * other counters) sits behind {@link #lock}, taken briefly by the dispatcher tasks; the drain task
 * (and closing) moves the arrivals into the queue under both. {@link #stats()} takes both (always
 * {@code lock} first),
 * so every transition is either wholly in a snapshot or not at all and the snapshot balances.
 * Transport calls, listener calls and logging happen after the locks are released ({@link
 * Effects}). Transport completions hop back onto the dispatcher.
 *
 * <p>A report wakes the dispatcher only when no drain is scheduled or running ({@link #drain});
 * the drain clears that flag and then looks at the arrivals once more, so a feedback reported while
 * it finishes is either seen by it or wakes a new drain.
 */
public final class DefaultFeedbackReporter implements FeedbackReporter {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** No attempt starts with this little time (or less) left before its deadline: it expires. */
  public static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(100);
  /** How long after an attempt's timeout the reporter stops waiting for a silent transport. */
  public static final Duration GUARD_SLACK = Duration.ofSeconds(1);
  /** At most one ERROR about a refused API key per this interval. */
  public static final Duration AUTH_LOG_INTERVAL = Duration.ofMinutes(1);
  /** What {@link #close()} waits beyond the shutdown timeout before it finishes by itself. */
  public static final Duration CLOSE_SLACK = Duration.ofMillis(500);
  /** Name of the reporter's own dispatcher thread. */
  public static final String THREAD_NAME = "sms-feedback-reporter";
  /**
   * How long the reporter's own dispatcher waits, after a drain that found new reports, before it
   * looks for more: reports in that time cost no thread wake-up. A given scheduler gets none.
   */
  public static final Duration LINGER = Duration.ofMillis(10);

  private static final long MIN_ATTEMPT_NANOS = MIN_ATTEMPT_TIME.toNanos();
  private static final long MAX_EPOCH_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

  private enum Lifecycle {
    RUNNING,
    CLOSING,
    CLOSED
  }

  /** What {@link #report} decided. */
  private enum Intake {
    QUEUED,
    DUPLICATE,
    CLOSED,
    TOO_LATE,
    QUEUE_FULL
  }

  /**
   * One accepted feedback on its way: 32 bytes with compressed references. Made under the intake
   * monitor, then guarded by {@link #lock}. Which queue holds it tells whether it is ready or
   * waiting for a retry; its attempt tells whether it is in flight.
   */
  private static final class Item {
    final Feedback feedback;
    /** {@code sentAt + validity} in epoch nanoseconds (saturated). */
    final long deadline;
    /** Report order, to break deadline ties first come first served; compared wrapping. */
    final int seq;
    /** The attempt in flight, or the last one; null before the first. */
    @Nullable Attempt attempt;

    Item(Feedback feedback, long deadline, int seq) {
      this.feedback = feedback;
      this.deadline = deadline;
      this.seq = seq;
    }

    long lastStart() {
      return minusSaturated(deadline, MIN_ATTEMPT_NANOS);
    }

    @Nullable TransportResult last() {
      Attempt a = attempt;
      return a == null ? null : a.result;
    }

    int attempts() {
      Attempt a = attempt;
      return a == null ? 0 : a.number;
    }
  }

  /**
   * One attempt of an item; made when it starts, so a queued item that never started has none. A
   * callback for an attempt that is no longer its item's in-flight one is stale and ignored.
   */
  private static final class Attempt {
    /** 1 for the first attempt. */
    final int number;
    final Instant startedAt;
    /** Until its answer, the timeout or shutdown. */
    boolean inFlight = true;
    /** This attempt's answer once it came; until then the previous attempt's, or null. */
    @Nullable TransportResult result;
    /** After a retryable answer: when the next attempt may start, in epoch nanoseconds. */
    long retryAt;
    @Nullable CompletableFuture<TransportResult> future;
    @Nullable ScheduledFuture<?> guard;

    Attempt(int number, Instant startedAt, @Nullable TransportResult previous) {
      this.number = number;
      this.startedAt = startedAt;
      this.result = previous;
    }
  }

  private static final Comparator<Item> EARLIEST_DEADLINE =
      (a, b) -> {
        int c = Long.compare(a.deadline, b.deadline);
        return c != 0 ? c : reportOrder(a, b);
      };
  private static final Comparator<Item> EARLIEST_RETRY =
      (a, b) -> {
        int c = Long.compare(retryAt(a), retryAt(b));
        return c != 0 ? c : reportOrder(a, b);
      };

  /** By {@link Item#seq}, wrapping: items alive at once are far fewer than 2^31 reports apart. */
  private static int reportOrder(Item a, Item b) {
    return Integer.compare(a.seq - b.seq, 0);
  }

  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;

  private final FeedbackSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final DoubleSupplier jitter;
  private final FeedbackTransport transport;
  private final SafeListener listener;
  private final LogLimiter logs = new LogLimiter();
  private final Duration attemptTimeout;
  private final long attemptTimeoutNanos;
  private final long validityNanos;
  private final long lingerNanos;
  /** Made once: a flood of refusals must not build strings under the intake monitor. */
  private final String tooLateMessage;
  private final String queueFullMessage;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile @Nullable Thread ownThread;
  /** Batches of side effects (listener calls, sends, logs) handed out and not yet run. */
  private final AtomicInteger pendingEffects = new AtomicInteger();
  /** {@link #SCHEDULED} while a drain is scheduled or running and will look at the arrivals. */
  private final AtomicInteger drain = new AtomicInteger(IDLE);

  /** The intake monitor: guards the fields up to {@link #lock}. Taken after {@code lock}, if both. */
  private final Object intake = new Object();

  private final RememberedUmids remembered = new RememberedUmids();
  private Item[] arrivals = new Item[16];
  private int arrivalCount;
  private int seq;
  private long accepted;
  private long duplicates;
  private long droppedQueueFull;
  private long expiredOnReport;
  private long droppedShutdownOnReport;

  /** Written under {@code lock} and {@code intake}; read under either. */
  private volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  /**
   * {@code ready.size() + waiting.size()} as of the end of the dispatcher's last critical section,
   * or of the last move of arrivals into the queue: what {@link #report} counts against the
   * capacity besides the arrivals. Written under {@code lock}, at moves also under {@code intake}.
   */
  private volatile int queuedBehindIntake;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();

  // Everything below is guarded by lock.
  private final PriorityQueue<Item> ready = new PriorityQueue<>(EARLIEST_DEADLINE);
  private final PriorityQueue<Item> waiting = new PriorityQueue<>(EARLIEST_RETRY);
  private final Set<Item> inFlightItems = new LinkedHashSet<>();
  /** The arrivals buffer last taken, kept to swap back in. */
  private Item[] spareArrivals = new Item[16];
  private long delivered;
  private long rejected;
  private long expired;
  private long droppedShutdown;
  private long inFlight;
  private long attempts;
  private long retries;
  private @Nullable String lastError;
  private @Nullable Instant lastErrorAt;
  private boolean authFailing;
  private @Nullable Instant lastAuthErrorLog;
  private @Nullable Instant pausedUntil;
  private @Nullable ScheduledFuture<?> wakeup;
  private long wakeupAt;
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
    this.lingerNanos = saturatedNanos(linger);
    this.tooLateMessage =
        "Feedback reported too late (its deadline, sentAt + "
            + Durations.format(settings.validity())
            + ", has passed): counted as expired, not sent";
    this.queueFullMessage =
        "Feedback queue full ("
            + FeedbackSettings.QUEUE_CAPACITY
            + "="
            + settings.queueCapacity()
            + "): newest feedback dropped; is 8x8 reachable?";
    this.clock = clock;
    this.jitter = jitter;
    this.listener = new SafeListener(listeners, logs);
    this.attemptTimeout = settings.connectTimeout().plus(settings.responseTimeout());
    this.attemptTimeoutNanos = saturatedNanos(attemptTimeout);
    this.validityNanos = saturatedNanos(settings.validity());
    this.ownsExecutor = scheduler == null;
    this.executor = scheduler != null ? scheduler : newDispatcher(t -> ownThread = t);
    try {
      this.transport = transport != null ? transport : HttpClientTransport.create(settings, clock);
    } catch (RuntimeException | Error e) {
      if (ownsExecutor) {
        executor.shutdownNow();
      }
      throw e;
    }
  }

  private static ScheduledExecutorService newDispatcher(Consumer<Thread> created) {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              created.accept(t);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
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
    long nowNanos = epochNanos(now);
    long deadline = plusSaturated(epochNanos(feedback.otp().sentAt()), validityNanos);
    UUID umid = feedback.umid();
    Intake decision;
    @Nullable Effects fx;
    synchronized (intake) {
      int slot = remembered.find(umid, nowNanos);
      if (slot < 0) {
        duplicates++;
        decision = Intake.DUPLICATE;
      } else {
        accepted++;
        if (lifecycle != Lifecycle.RUNNING) {
          droppedShutdownOnReport++;
          decision = Intake.CLOSED;
        } else if (nowNanos >= minusSaturated(deadline, MIN_ATTEMPT_NANOS)) {
          expiredOnReport++;
          decision = Intake.TOO_LATE;
        } else if (arrivalCount + queuedBehindIntake >= settings.queueCapacity()) {
          droppedQueueFull++;
          decision = Intake.QUEUE_FULL;
        } else {
          if (arrivalCount == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, arrivalCount + (arrivalCount >> 1) + 1);
          }
          arrivals[arrivalCount++] = new Item(feedback, deadline, seq++);
          remembered.add(slot, umid, deadline, nowNanos);
          decision = Intake.QUEUED;
        }
      }
      // Made with the counters, so flush() cannot see the count without the pending effects.
      fx = decision == Intake.QUEUED ? null : refusedEffects(decision, feedback, now);
    }
    if (fx == null) {
      wake();
      return true;
    }
    fx.run();
    return false;
  }

  /** Wakes the dispatcher unless a drain is scheduled or running already. */
  private void wake() {
    if (drain.get() == IDLE && drain.compareAndSet(IDLE, SCHEDULED)) {
      dispatch(this::runDrain);
    }
  }

  private Effects refusedEffects(Intake decision, Feedback feedback, Instant now) {
    Effects fx = new Effects();
    switch (decision) {
      case DUPLICATE -> {
        if (log.isDebugEnabled()) {
          fx.add(
              () ->
                  log.debug("Duplicate feedback for umid {} ignored (first wins)", feedback.umid()));
        }
      }
      case CLOSED -> {
        fx.terminal(
            new DeliveryEvent(
                feedback, DeliveryState.DROPPED, DropReason.SHUTDOWN, 0, null, null, now));
        fx.warnOnce(
            "dropped-after-close",
            "Feedback reported after the reporter was closed: dropped (counted as"
                + " droppedShutdown); close the reporter after the components that report");
      }
      case TOO_LATE -> {
        fx.terminal(new DeliveryEvent(feedback, DeliveryState.EXPIRED, null, 0, null, null, now));
        fx.warnOnce("expired-on-report", tooLateMessage);
      }
      case QUEUE_FULL -> {
        fx.terminal(
            new DeliveryEvent(
                feedback, DeliveryState.DROPPED, DropReason.QUEUE_FULL, 0, null, null, now));
        fx.warnOnce("dropped-queue-full", queueFullMessage);
      }
      case QUEUED -> throw new IllegalStateException("queued is not refused");
    }
    return fx;
  }

  /** Moves the arrivals into the ready queue; false if there were none. */
  private boolean takeArrivalsLocked() {
    Item[] taken;
    int n;
    synchronized (intake) {
      n = arrivalCount;
      if (n == 0) {
        return false;
      }
      taken = arrivals;
      arrivals = spareArrivals;
      arrivalCount = 0;
      queuedBehindIntake = ready.size() + waiting.size() + n;
    }
    for (int i = 0; i < n; i++) {
      ready.add(taken[i]);
      taken[i] = null;
    }
    spareArrivals = taken;
    return true;
  }

  private boolean hasArrivals() {
    synchronized (intake) {
      return arrivalCount > 0;
    }
  }

  // ---------------------------------------------------------------- dispatcher

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
      Effects fx = new Effects();
      boolean lingers;
      lock.lock();
      try {
        boolean took = lifecycle != Lifecycle.CLOSED && takeArrivalsLocked();
        drainLocked(fx);
        lingers = took && lingerNanos > 0 && lifecycle != Lifecycle.CLOSED;
        if (lingers) {
          lingerLook = schedule(this::runDrain, lingerNanos);
          lingers = lingerLook != null;
        }
      } finally {
        lock.unlock();
      }
      fx.run();
      if (lingers) {
        return; // still SCHEDULED: reports until the next look need not wake anybody
      }
      drain.set(IDLE);
    } while (lifecycle != Lifecycle.CLOSED
        && hasArrivals()
        && drain.compareAndSet(IDLE, SCHEDULED));
  }

  private void onWakeup() {
    Effects fx = new Effects();
    lock.lock();
    try {
      wakeup = null;
      drainLocked(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  private void drainOnce() {
    Effects fx = new Effects();
    lock.lock();
    try {
      drainLocked(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  /** Moves due retries to the ready queue, expires what can no longer start, starts attempts. */
  private void drainLocked(Effects fx) {
    if (lifecycle == Lifecycle.CLOSED) {
      return;
    }
    Instant now = clock.instant();
    long nowNanos = epochNanos(now);
    Item it;
    while ((it = waiting.peek()) != null && retryAt(it) <= nowNanos) {
      waiting.poll();
      ready.add(it);
    }
    while ((it = ready.peek()) != null && nowNanos >= it.lastStart()) {
      ready.poll();
      expireLocked(it, now, fx);
    }
    long shutdownNanos = shutdownAt == null ? Long.MAX_VALUE : epochNanos(shutdownAt);
    while (inFlight < settings.maxConcurrentRequests()
        && (it = ready.peek()) != null
        && !pausedLocked(now)) {
      long left = minusSaturated(Math.min(it.deadline, shutdownNanos), nowNanos);
      if (left <= MIN_ATTEMPT_NANOS) {
        break; // closing: too late to start before the shutdown timeout; dropped then
      }
      ready.poll();
      startLocked(it, Duration.ofNanos(Math.min(left, attemptTimeoutNanos)), now, fx);
    }
    scheduleWakeupLocked(now, nowNanos);
    afterChangeLocked(fx);
  }

  private boolean pausedLocked(Instant now) {
    return pausedUntil != null && now.isBefore(pausedUntil);
  }

  private void scheduleWakeupLocked(Instant now, long nowNanos) {
    long next = Long.MAX_VALUE;
    boolean due = false;
    Item w = waiting.peek();
    if (w != null) {
      next = retryAt(w);
      due = true;
    }
    Item r = ready.peek();
    if (r != null) {
      next = Math.min(next, r.lastStart());
      due = true;
      if (pausedLocked(now)) {
        next = Math.min(next, epochNanos(java.util.Objects.requireNonNull(pausedUntil)));
      }
    }
    if (!due || (wakeup != null && wakeupAt <= next)) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    wakeupAt = next;
    wakeup = schedule(this::onWakeup, minusSaturated(next, nowNanos));
  }

  private void startLocked(Item it, Duration timeout, Instant now, Effects fx) {
    Attempt attempt = new Attempt(it.attempts() + 1, now, it.last());
    it.attempt = attempt;
    attempts++;
    if (attempt.number > 1) {
      retries++;
    }
    inFlight++;
    inFlightItems.add(it);
    fx.add(() -> send(it, attempt, timeout));
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
        f != null
            ? f
            : CompletableFuture.completedFuture(TransportResult.ioError("NoFuture"));
    boolean current;
    lock.lock();
    try {
      current = isCurrentLocked(it, attempt);
      if (current) {
        attempt.future = future;
        attempt.guard =
            future.isDone()
                ? null // already answered: nothing to guard
                :
            schedule(
                () -> onResult(it, attempt, null, null, true),
                plusSaturated(saturatedNanos(timeout), saturatedNanos(GUARD_SLACK)));
      }
    } finally {
      lock.unlock();
    }
    if (!current) {
      future.cancel(true); // dropped by shutdown while we were calling the transport
      return;
    }
    future.whenComplete((r, e) -> dispatch(() -> onResult(it, attempt, r, e, false)));
  }

  private static boolean isCurrentLocked(Item it, Attempt attempt) {
    return it.attempt == attempt && attempt.inFlight;
  }

  private void onResult(
      Item it,
      Attempt attempt,
      @Nullable TransportResult answer,
      @Nullable Throwable error,
      boolean timedOut) {
    Effects fx = new Effects();
    lock.lock();
    try {
      if (!isCurrentLocked(it, attempt)) {
        return; // stale: the guard fired, or shutdown dropped it
      }
      Instant now = clock.instant();
      attempt.inFlight = false;
      inFlight--;
      inFlightItems.remove(it);
      ScheduledFuture<?> guard = attempt.guard;
      attempt.guard = null;
      if (guard != null && !timedOut) {
        guard.cancel(false);
      }
      CompletableFuture<TransportResult> future = attempt.future;
      attempt.future = null;
      if (timedOut && future != null) {
        fx.add(() -> future.cancel(true));
      }
      TransportResult result =
          answer != null
              ? answer
              : TransportResult.ioError(timedOut ? "timeout" : describe(error));
      attempt.result = result;
      fx.attempt(
          new AttemptEvent(
              it.feedback, it.attempts(), result, nonNegative(attempt.startedAt, now), now));
      switch (result.kind()) {
        case DELIVERED -> {
          delivered++;
          authFailing = false;
          fx.terminal(terminal(it, DeliveryState.DELIVERED, now, true));
          if (log.isDebugEnabled()) {
            fx.add(
                () ->
                    log.debug(
                        "Feedback for umid {} delivered ({}, attempt {})",
                        it.feedback.umid(),
                        result.describe(),
                        it.attempts()));
          }
        }
        case REJECTED -> {
          rejected++;
          noteErrorLocked(result, now);
          if (result.isAuthFailure()) {
            authFailing = true;
            logAuthLocked(it, result, now, fx);
          } else {
            fx.warnOnce(
                "rejected:" + result.status(),
                "8x8 rejected a feedback for good: "
                    + details(result)
                    + " (subaccount "
                    + it.feedback.otp().subAccountId()
                    + ", umid "
                    + it.feedback.umid()
                    + ")");
          }
          fx.terminal(terminal(it, DeliveryState.REJECTED, now, true));
        }
        case RETRYABLE -> retryLocked(it, attempt, result, now, fx);
      }
      drainLocked(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  /** Waits for the next attempt; an item retries after each failed attempt: failures = attempts. */
  private void retryLocked(
      Item it, Attempt attempt, TransportResult result, Instant now, Effects fx) {
    noteErrorLocked(result, now);
    Duration retryAfter = result.retryAfter();
    Duration delay;
    if (retryAfter != null) {
      delay = retryAfter.compareTo(settings.validity()) > 0 ? settings.validity() : retryAfter;
      Instant until = now.plus(delay);
      if (pausedUntil == null || until.isAfter(pausedUntil)) {
        pausedUntil = until;
      }
    } else {
      delay = backoff(it.attempts());
    }
    attempt.retryAt =
        Math.min(plusSaturated(epochNanos(now), saturatedNanos(delay)), it.lastStart());
    waiting.add(it);
    fx.warnOnce(
        "retry:" + (result.status() == 0 ? result.ioError() : result.status()),
        "8x8 feedback attempt failed: "
            + details(result)
            + (retryAfter != null
                ? "; 8x8 asked to wait " + Durations.format(delay) + ", pausing all attempts"
                : "")
            + "; retrying until the deadline");
  }

  /** Full jitter: {@code random[0,1) * min(maxBackoff, initialBackoff * 2^(failures-1))}. */
  private Duration backoff(int failures) {
    long initial = saturatedNanos(settings.retryInitialBackoff());
    long max = saturatedNanos(settings.retryMaxBackoff());
    int n = failures - 1;
    long cap = n >= 62 || initial > (max >> n) ? max : Math.min(max, initial << n);
    double j = jitter.getAsDouble();
    if (!(j >= 0)) {
      j = 0; // also NaN
    } else if (j >= 1) {
      j = Math.nextDown(1.0);
    }
    return Duration.ofNanos((long) (j * cap));
  }

  private void expireLocked(Item it, Instant now, Effects fx) {
    expired++;
    fx.terminal(terminal(it, DeliveryState.EXPIRED, now, false));
    TransportResult last = it.last();
    fx.warnOnce(
        "expired",
        "A feedback expired before 8x8 accepted it (deadline sentAt + "
            + Durations.format(settings.validity())
            + ", "
            + it.attempts()
            + " attempt(s), last: "
            + (last == null ? "none" : last.describe())
            + ")");
  }

  private void noteErrorLocked(TransportResult result, Instant now) {
    lastError = result.describe();
    lastErrorAt = now;
  }

  private void logAuthLocked(Item it, TransportResult result, Instant now, Effects fx) {
    String sub = it.feedback.otp().subAccountId();
    int status = result.status();
    if (lastAuthErrorLog == null || !now.isBefore(lastAuthErrorLog.plus(AUTH_LOG_INTERVAL))) {
      lastAuthErrorLog = now;
      fx.add(
          () ->
              log.error(
                  "8x8 refused the API key (HTTP {}) for subaccount {}; check {}",
                  status,
                  sub,
                  FeedbackSettings.API_KEY));
    } else {
      fx.add(() -> log.debug("8x8 refused the API key (HTTP {}) for subaccount {}", status, sub));
    }
  }

  private DeliveryEvent terminal(Item it, DeliveryState state, Instant now, boolean answered) {
    return new DeliveryEvent(
        it.feedback,
        state,
        null,
        it.attempts(),
        it.last(),
        answered ? nonNegative(it.feedback.actedAt(), now) : null,
        now);
  }

  private void afterChangeLocked(Effects fx) {
    queuedBehindIntake = ready.size() + waiting.size();
    if (ready.isEmpty() && waiting.isEmpty() && inFlight == 0) {
      idle.signalAll();
      if (lifecycle == Lifecycle.CLOSING) {
        finishLocked(fx);
      }
    }
  }

  // ---------------------------------------------------------------- shutdown

  @Override
  public CompletableFuture<Void> closeAsync() {
    Effects fx = new Effects();
    lock.lock();
    try {
      if (lifecycle == Lifecycle.RUNNING) {
        Instant now = clock.instant();
        synchronized (intake) {
          lifecycle = Lifecycle.CLOSING; // from here on, report() refuses: no more arrivals
        }
        if (takeArrivalsLocked()) {
          fx.add(() -> dispatch(this::drainOnce)); // not left to a lingering drain's next look
        }
        shutdownAt = now.plus(settings.shutdownTimeout());
        long left = ready.size() + waiting.size() + inFlight;
        fx.add(
            () ->
                log.debug(
                    "Closing: {} feedback(s) to deliver within {}",
                    left,
                    Durations.format(settings.shutdownTimeout())));
        if (left == 0) {
          finishLocked(fx);
        } else if (settings.shutdownTimeout().isZero()) {
          forceFinishLocked(now, fx);
        } else {
          shutdownTimer = schedule(this::forceFinish, saturatedNanos(settings.shutdownTimeout()));
        }
      }
    } finally {
      lock.unlock();
    }
    fx.run();
    return terminated.copy();
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = closeAsync();
    if (Thread.currentThread() == ownThread) {
      return; // called from a listener: waiting here would block the very thread that drains
    }
    try {
      done.get(saturatedNanos(settings.shutdownTimeout().plus(CLOSE_SLACK)), TimeUnit.NANOSECONDS);
      Thread own = ownThread;
      if (ownsExecutor && own != null) {
        own.join(CLOSE_SLACK.toMillis()); // gone when close() returns (a web app's undeploy checks)
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the dispatcher did not finish in time (busy, or a scheduler nobody runs): finish here
    }
    forceFinish();
  }

  private void forceFinish() {
    Effects fx = new Effects();
    lock.lock();
    try {
      forceFinishLocked(clock.instant(), fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  /** Counts everything still queued or in flight as dropped (shutdown) and finishes. */
  private void forceFinishLocked(Instant now, Effects fx) {
    if (lifecycle != Lifecycle.CLOSING) {
      return;
    }
    takeArrivalsLocked();
    List<Item> left = new ArrayList<>(ready.size() + waiting.size() + inFlightItems.size());
    left.addAll(ready);
    left.addAll(waiting);
    left.addAll(inFlightItems);
    left.sort(EARLIEST_DEADLINE);
    ready.clear();
    waiting.clear();
    queuedBehindIntake = 0;
    for (Item it : left) {
      Attempt attempt = it.attempt;
      if (attempt != null && attempt.inFlight) {
        attempt.inFlight = false;
        inFlight--;
        ScheduledFuture<?> guard = attempt.guard;
        if (guard != null) {
          guard.cancel(false);
        }
        CompletableFuture<TransportResult> future = attempt.future;
        if (future != null) {
          fx.add(() -> future.cancel(true));
        }
        attempt.guard = null;
        attempt.future = null;
      }
      droppedShutdown++;
      fx.terminal(
          new DeliveryEvent(
              it.feedback,
              DeliveryState.DROPPED,
              DropReason.SHUTDOWN,
              it.attempts(),
              it.last(),
              null,
              now));
    }
    inFlightItems.clear();
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
  }

  private void finishLocked(Effects fx) {
    lifecycle = Lifecycle.CLOSED; // report() refuses CLOSING and CLOSED alike
    if (wakeup != null) {
      wakeup.cancel(false);
      wakeup = null;
    }
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
      synchronized (intake) {
        return new ReporterStats(
            accepted,
            delivered,
            rejected,
            expired + expiredOnReport,
            droppedQueueFull,
            droppedShutdown + droppedShutdownOnReport,
            arrivalCount + ready.size() + waiting.size(),
            inFlight,
            duplicates,
            attempts,
            retries,
            lastError,
            lastErrorAt,
            authFailing);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean flush(Duration timeout) {
    long nanos = saturatedNanos(timeout);
    lock.lock();
    try {
      while (!idleLocked()) {
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

  private boolean idleLocked() {
    if (!ready.isEmpty() || !waiting.isEmpty() || inFlight > 0) {
      return false;
    }
    synchronized (intake) { // report() registers its effects under it
      return arrivalCount == 0 && pendingEffects.get() == 0;
    }
  }

  /** Whether new attempts are paused by a {@code Retry-After}, and until when; for tests, health. */
  public @Nullable Instant pausedUntil() {
    lock.lock();
    try {
      return pausedLocked(clock.instant()) ? pausedUntil : null;
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

  // ---------------------------------------------------------------- helpers

  /** Side effects collected under the lock and run after it is released. */
  private final class Effects {
    private @Nullable List<Runnable> actions;

    void add(Runnable r) {
      if (actions == null) {
        actions = new ArrayList<>(4);
        pendingEffects.incrementAndGet();
      }
      actions.add(r);
    }

    void attempt(AttemptEvent e) {
      if (listener.any()) {
        add(() -> listener.onAttempt(e));
      }
    }

    void terminal(DeliveryEvent e) {
      if (listener.any()) {
        add(() -> listener.onTerminal(e));
      }
    }

    void warnOnce(String kind, String message) {
      add(
          () -> {
            if (logs.first(kind)) {
              log.warn("{} (repeats are logged at DEBUG)", message);
            } else {
              log.debug(message);
            }
          });
    }

    void run() {
      if (actions == null) {
        return;
      }
      try {
        for (Runnable r : actions) {
          try {
            r.run();
          } catch (RuntimeException e) {
            if (logs.first("effect-failed")) {
              log.warn("Unexpected failure after a state change; ignored", e);
            }
          }
        }
      } finally {
        actions = null;
        if (pendingEffects.decrementAndGet() == 0) {
          lock.lock();
          try {
            idle.signalAll(); // flush() also waits for listeners to hear the last transitions
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  private static String details(TransportResult r) {
    StringBuilder sb = new StringBuilder(r.describe());
    if (r.errorMessage() != null) {
      sb.append(", message \"").append(r.errorMessage()).append('"');
    }
    if (r.errorId() != null) {
      sb.append(", errorId ").append(r.errorId());
    }
    return sb.toString();
  }

  private static String describe(@Nullable Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e == null ? "unknown" : e.getClass().getSimpleName();
  }

  private static long retryAt(Item it) {
    Attempt a = it.attempt;
    return a == null ? it.lastStart() : a.retryAt;
  }

  /** Epoch nanoseconds, saturated outside about 1677 to 2262. */
  private static long epochNanos(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds > MAX_EPOCH_SECONDS) {
      return Long.MAX_VALUE;
    }
    if (seconds < -MAX_EPOCH_SECONDS) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + t.getNano();
  }

  private static long plusSaturated(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static long minusSaturated(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static Duration nonNegative(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
