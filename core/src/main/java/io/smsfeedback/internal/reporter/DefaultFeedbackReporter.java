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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * <p>All state sits behind one lock, taken briefly by {@link #report}, the dispatcher tasks and
 * {@link #stats()}; every transition updates the counters in the same critical section, so a
 * snapshot always balances. Transport calls, listener calls and logging happen after the lock is
 * released ({@link Effects}). Transport completions hop back onto the dispatcher.
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

  private enum Lifecycle {
    RUNNING,
    CLOSING,
    CLOSED
  }

  private enum ItemState {
    READY,
    WAITING,
    IN_FLIGHT,
    DONE
  }

  /** One accepted feedback on its way. Guarded by {@link #lock}. */
  private static final class Item {
    final Feedback feedback;
    final Instant deadline;
    final Instant lastStart;
    final long seq;
    ItemState state = ItemState.READY;
    int attempts;
    int failures;
    long token;
    Instant wakeAt;
    Instant startedAt;
    @Nullable TransportResult last;
    @Nullable CompletableFuture<TransportResult> future;
    @Nullable ScheduledFuture<?> guard;

    Item(Feedback feedback, Instant deadline, long seq) {
      this.feedback = feedback;
      this.deadline = deadline;
      this.lastStart = deadline.minus(MIN_ATTEMPT_TIME);
      this.seq = seq;
      this.wakeAt = deadline;
      this.startedAt = deadline;
    }
  }

  private record Remembered(UUID umid, Instant until) {}

  private static final Comparator<Item> EARLIEST_DEADLINE =
      Comparator.<Item, Instant>comparing(i -> i.deadline).thenComparingLong(i -> i.seq);
  private static final Comparator<Item> EARLIEST_WAKE =
      Comparator.<Item, Instant>comparing(i -> i.wakeAt).thenComparingLong(i -> i.seq);

  private final FeedbackSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final DoubleSupplier jitter;
  private final FeedbackTransport transport;
  private final SafeListener listener;
  private final LogLimiter logs = new LogLimiter();
  private final Duration attemptTimeout;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile @Nullable Thread ownThread;
  /** Batches of side effects (listener calls, sends, logs) handed out and not yet run. */
  private final AtomicInteger pendingEffects = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();

  // Everything below is guarded by lock.
  private final PriorityQueue<Item> ready = new PriorityQueue<>(EARLIEST_DEADLINE);
  private final PriorityQueue<Item> waiting = new PriorityQueue<>(EARLIEST_WAKE);
  private final Set<Item> inFlightItems = new LinkedHashSet<>();
  private final Map<UUID, Instant> remembered = new HashMap<>();
  private final PriorityQueue<Remembered> rememberedByTime =
      new PriorityQueue<>(Comparator.comparing(Remembered::until));
  private volatile Lifecycle lifecycle = Lifecycle.RUNNING;
  private long seq;
  private long accepted;
  private long delivered;
  private long rejected;
  private long expired;
  private long droppedQueueFull;
  private long droppedShutdown;
  private long inFlight;
  private long duplicates;
  private long attempts;
  private long retries;
  private @Nullable String lastError;
  private @Nullable Instant lastErrorAt;
  private boolean authFailing;
  private @Nullable Instant lastAuthErrorLog;
  private @Nullable Instant pausedUntil;
  private boolean drainScheduled;
  private @Nullable ScheduledFuture<?> wakeup;
  private @Nullable Instant wakeupAt;
  private @Nullable Instant shutdownAt;
  private @Nullable ScheduledFuture<?> shutdownTimer;

  /** Use {@link FeedbackReporter#builder(FeedbackSettings)}. Null parts get their defaults. */
  public DefaultFeedbackReporter(
      FeedbackSettings settings,
      Clock clock,
      @Nullable ScheduledExecutorService scheduler,
      DoubleSupplier jitter,
      @Nullable FeedbackTransport transport,
      List<FeedbackListener> listeners) {
    this.settings = settings;
    this.clock = clock;
    this.jitter = jitter;
    this.listener = new SafeListener(listeners, logs);
    this.attemptTimeout = settings.connectTimeout().plus(settings.responseTimeout());
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
    Effects fx = new Effects();
    boolean queued = false;
    boolean signal = false;
    lock.lock();
    try {
      Instant now = clock.instant();
      forgetPassedLocked(now);
      UUID umid = feedback.umid();
      if (remembered.containsKey(umid)) {
        duplicates++;
        fx.add(() -> log.debug("Duplicate feedback for umid {} ignored (first wins)", umid));
      } else {
        accepted++;
        Instant deadline = feedback.deadline(settings.validity());
        if (lifecycle != Lifecycle.RUNNING) {
          droppedShutdown++;
          fx.terminal(
              new DeliveryEvent(
                  feedback, DeliveryState.DROPPED, DropReason.SHUTDOWN, 0, null, null, now));
          fx.warnOnce(
              "dropped-after-close",
              "Feedback reported after the reporter was closed: dropped (counted as"
                  + " droppedShutdown); close the reporter after the components that report");
        } else if (!now.isBefore(deadline.minus(MIN_ATTEMPT_TIME))) {
          expired++;
          fx.terminal(
              new DeliveryEvent(feedback, DeliveryState.EXPIRED, null, 0, null, null, now));
          fx.warnOnce(
              "expired-on-report",
              "Feedback reported too late (its deadline, sentAt + "
                  + Durations.format(settings.validity())
                  + ", has passed): counted as expired, not sent");
        } else if (ready.size() + waiting.size() >= settings.queueCapacity()) {
          droppedQueueFull++;
          fx.terminal(
              new DeliveryEvent(
                  feedback, DeliveryState.DROPPED, DropReason.QUEUE_FULL, 0, null, null, now));
          fx.warnOnce(
              "dropped-queue-full",
              "Feedback queue full ("
                  + FeedbackSettings.QUEUE_CAPACITY
                  + "="
                  + settings.queueCapacity()
                  + "): newest feedback dropped; is 8x8 reachable?");
        } else {
          Item item = new Item(feedback, deadline, seq++);
          ready.add(item);
          remembered.put(umid, deadline);
          rememberedByTime.add(new Remembered(umid, deadline));
          queued = true;
          if (!drainScheduled) {
            drainScheduled = true;
            signal = true;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (signal) {
      dispatch(this::runDrain);
    }
    fx.run();
    return queued;
  }

  private void forgetPassedLocked(Instant now) {
    Remembered r;
    while ((r = rememberedByTime.peek()) != null && !r.until().isAfter(now)) {
      rememberedByTime.poll();
      remembered.remove(r.umid(), r.until());
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

  private @Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return executor.schedule(task, Math.max(0, saturatedNanos(delay)), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (logs.first("scheduler-rejected")) {
        log.warn("The reporter's scheduler refused a task; is it shut down?");
      }
      return null;
    }
  }

  private void runDrain() {
    Effects fx = new Effects();
    lock.lock();
    try {
      drainScheduled = false;
      drainLocked(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  private void onWakeup() {
    Effects fx = new Effects();
    lock.lock();
    try {
      wakeup = null;
      wakeupAt = null;
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
    forgetPassedLocked(now);
    Item it;
    while ((it = waiting.peek()) != null && !it.wakeAt.isAfter(now)) {
      waiting.poll();
      it.state = ItemState.READY;
      ready.add(it);
    }
    while ((it = ready.peek()) != null && !now.isBefore(it.lastStart)) {
      ready.poll();
      expireLocked(it, now, fx);
    }
    while (inFlight < settings.maxConcurrentRequests()
        && (it = ready.peek()) != null
        && !pausedLocked(now)) {
      Instant limit = it.deadline;
      if (shutdownAt != null && shutdownAt.isBefore(limit)) {
        limit = shutdownAt;
      }
      Duration left = Duration.between(now, limit);
      if (left.compareTo(MIN_ATTEMPT_TIME) <= 0) {
        break; // closing: too late to start before the shutdown timeout; dropped then
      }
      ready.poll();
      startLocked(it, left.compareTo(attemptTimeout) < 0 ? left : attemptTimeout, now, fx);
    }
    scheduleWakeupLocked(now);
    afterChangeLocked(fx);
  }

  private boolean pausedLocked(Instant now) {
    return pausedUntil != null && now.isBefore(pausedUntil);
  }

  private void scheduleWakeupLocked(Instant now) {
    Instant next = null;
    Item w = waiting.peek();
    if (w != null) {
      next = w.wakeAt;
    }
    Item r = ready.peek();
    if (r != null) {
      next = earliest(next, r.lastStart);
      if (pausedLocked(now)) {
        next = earliest(next, pausedUntil);
      }
    }
    if (next == null || (wakeup != null && wakeupAt != null && !wakeupAt.isAfter(next))) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    wakeupAt = next;
    wakeup = schedule(this::onWakeup, Duration.between(now, next));
  }

  private void startLocked(Item it, Duration timeout, Instant now, Effects fx) {
    it.state = ItemState.IN_FLIGHT;
    it.attempts++;
    it.startedAt = now;
    long token = ++it.token;
    attempts++;
    if (it.attempts > 1) {
      retries++;
    }
    inFlight++;
    inFlightItems.add(it);
    fx.add(() -> send(it, token, timeout));
  }

  private void send(Item it, long token, Duration timeout) {
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
      current = it.state == ItemState.IN_FLIGHT && it.token == token;
      if (current) {
        it.future = future;
        it.guard = schedule(() -> onResult(it, token, null, null, true), timeout.plus(GUARD_SLACK));
      }
    } finally {
      lock.unlock();
    }
    if (!current) {
      future.cancel(true); // dropped by shutdown while we were calling the transport
      return;
    }
    future.whenComplete((r, e) -> dispatch(() -> onResult(it, token, r, e, false)));
  }

  private void onResult(
      Item it,
      long token,
      @Nullable TransportResult answer,
      @Nullable Throwable error,
      boolean timedOut) {
    Effects fx = new Effects();
    lock.lock();
    try {
      if (it.state != ItemState.IN_FLIGHT || it.token != token) {
        return; // stale: the guard fired, or shutdown dropped it
      }
      Instant now = clock.instant();
      inFlight--;
      inFlightItems.remove(it);
      ScheduledFuture<?> guard = it.guard;
      it.guard = null;
      if (guard != null && !timedOut) {
        guard.cancel(false);
      }
      CompletableFuture<TransportResult> future = it.future;
      it.future = null;
      if (timedOut && future != null) {
        fx.add(() -> future.cancel(true));
      }
      TransportResult result =
          answer != null
              ? answer
              : TransportResult.ioError(timedOut ? "timeout" : describe(error));
      it.last = result;
      fx.attempt(
          new AttemptEvent(
              it.feedback, it.attempts, result, nonNegative(it.startedAt, now), now));
      switch (result.kind()) {
        case DELIVERED -> {
          it.state = ItemState.DONE;
          delivered++;
          authFailing = false;
          fx.terminal(terminal(it, DeliveryState.DELIVERED, now, true));
          fx.add(
              () ->
                  log.debug(
                      "Feedback for umid {} delivered ({}, attempt {})",
                      it.feedback.umid(),
                      result.describe(),
                      it.attempts));
        }
        case REJECTED -> {
          it.state = ItemState.DONE;
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
        case RETRYABLE -> retryLocked(it, result, now, fx);
      }
      drainLocked(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  private void retryLocked(Item it, TransportResult result, Instant now, Effects fx) {
    it.failures++;
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
      delay = backoff(it.failures);
    }
    Instant at = now.plus(delay);
    it.wakeAt = at.isBefore(it.lastStart) ? at : it.lastStart;
    it.state = ItemState.WAITING;
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
    it.state = ItemState.DONE;
    expired++;
    fx.terminal(terminal(it, DeliveryState.EXPIRED, now, false));
    TransportResult last = it.last;
    fx.warnOnce(
        "expired",
        "A feedback expired before 8x8 accepted it (deadline sentAt + "
            + Durations.format(settings.validity())
            + ", "
            + it.attempts
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
        it.attempts,
        it.last,
        answered ? nonNegative(it.feedback.actedAt(), now) : null,
        now);
  }

  private void afterChangeLocked(Effects fx) {
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
        lifecycle = Lifecycle.CLOSING;
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
          shutdownTimer = schedule(this::forceFinish, settings.shutdownTimeout());
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
    List<Item> left = new ArrayList<>(ready.size() + waiting.size() + inFlightItems.size());
    left.addAll(ready);
    left.addAll(waiting);
    left.addAll(inFlightItems);
    left.sort(EARLIEST_DEADLINE);
    ready.clear();
    waiting.clear();
    for (Item it : left) {
      if (it.state == ItemState.IN_FLIGHT) {
        inFlight--;
        ScheduledFuture<?> guard = it.guard;
        if (guard != null) {
          guard.cancel(false);
        }
        CompletableFuture<TransportResult> future = it.future;
        if (future != null) {
          fx.add(() -> future.cancel(true));
        }
        it.guard = null;
        it.future = null;
      }
      it.state = ItemState.DONE;
      droppedShutdown++;
      fx.terminal(
          new DeliveryEvent(
              it.feedback,
              DeliveryState.DROPPED,
              DropReason.SHUTDOWN,
              it.attempts,
              it.last,
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
    lifecycle = Lifecycle.CLOSED;
    if (wakeup != null) {
      wakeup.cancel(false);
      wakeup = null;
      wakeupAt = null;
    }
    if (shutdownTimer != null) {
      shutdownTimer.cancel(false);
      shutdownTimer = null;
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
      return new ReporterStats(
          accepted,
          delivered,
          rejected,
          expired,
          droppedQueueFull,
          droppedShutdown,
          ready.size() + waiting.size(),
          inFlight,
          duplicates,
          attempts,
          retries,
          lastError,
          lastErrorAt,
          authFailing);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean flush(Duration timeout) {
    long nanos = saturatedNanos(timeout);
    lock.lock();
    try {
      while (!ready.isEmpty() || !waiting.isEmpty() || inFlight > 0 || pendingEffects.get() > 0) {
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
      add(() -> listener.onAttempt(e));
    }

    void terminal(DeliveryEvent e) {
      add(() -> listener.onTerminal(e));
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

  private static Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return java.util.Objects.requireNonNull(b);
    }
    return b == null || a.isBefore(b) ? a : b;
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
