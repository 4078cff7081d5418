package io.smsfeedback.internal.reporter;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.internal.DaemonThreads;
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
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link FeedbackReporter}: its public face and its threads. {@link Intake} takes
 * reports on the callers' threads (under its own monitor); the {@link Dispatcher} delivers them on
 * the reporter's executor (under its lock). This class owns that executor and the transport, wakes
 * the dispatcher, and waits for shutdown.
 *
 * <p>A report wakes the dispatcher only when no drain is scheduled or running ({@link #drain}); the
 * drain clears that flag and then looks at the arrivals once more, so a feedback reported while it
 * finishes is either seen by it or wakes a new drain. Fields: final and thread-safe, or volatile.
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

  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;

  private final FeedbackSettings settings;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final FeedbackTransport transport;
  private final LogOnce logs = new LogOnce(log);
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile @Nullable Thread ownThread;
  /** {@link #SCHEDULED} while a drain is scheduled or running and will look at the arrivals. */
  private final AtomicInteger drain = new AtomicInteger(IDLE);
  private final Intake intake;
  private final Dispatcher dispatcher;

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
    RetryPolicy policy = new RetryPolicy(settings, jitter);
    Effects.Context effects =
        new Effects.Context(new SafeListener(listeners, logs), logs, this::signalIdle);
    this.intake = new Intake(settings, clock, policy, effects);
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
    this.dispatcher =
        new Dispatcher(
            settings,
            clock,
            policy,
            intake,
            effects,
            this.transport,
            new OwnRuntime(),
            Nanos.of(linger));
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
    Effects refused = intake.offer(feedback);
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
      if (dispatcher.takeAndDrain()) {
        return; // still SCHEDULED: reports until the next look need not wake anybody
      }
      drain.set(IDLE);
    } while (!dispatcher.closed()
        && intake.hasArrivals()
        && drain.compareAndSet(IDLE, SCHEDULED));
  }

  private void signalIdle() {
    dispatcher.signalIdle();
  }

  /** The dispatcher's hooks into this reporter's executor and resources. */
  private final class OwnRuntime implements Dispatcher.Runtime {
    @Override
    public void dispatch(Runnable task) {
      DefaultFeedbackReporter.this.dispatch(task);
    }

    @Override
    public @Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
      return DefaultFeedbackReporter.this.schedule(task, delayNanos);
    }

    @Override
    public Runnable lookAgain() {
      return DefaultFeedbackReporter.this::runDrain;
    }

    @Override
    public void release() {
      DefaultFeedbackReporter.this.release();
    }
  }

  // ---------------------------------------------------------------- shutdown

  @Override
  public CompletableFuture<Void> closeAsync() {
    dispatcher.close();
    return terminated.copy();
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = closeAsync();
    if (Thread.currentThread() == ownThread) {
      return; // called from a listener: waiting here would block the very thread that drains
    }
    try {
      done.get(Nanos.of(settings.shutdownTimeout().plus(CLOSE_SLACK)), TimeUnit.NANOSECONDS);
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
    dispatcher.forceFinish();
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
    return dispatcher.stats();
  }

  @Override
  public boolean flush(Duration timeout) {
    return dispatcher.flush(timeout);
  }

  /** Whether new attempts are paused by a {@code Retry-After}, and until when; for tests, health. */
  public @Nullable Instant pausedUntil() {
    return dispatcher.pausedUntil();
  }

  /**
   * How many requests may be in flight now: adapts to the answers (grows while they are healthy and
   * a backlog waits, halves on 429, 503 or 504 without {@code Retry-After} and on timeouts), at
   * most {@code max-concurrent-requests}.
   */
  public int concurrencyLimit() {
    return dispatcher.concurrencyLimit();
  }

  @Override
  public String toString() {
    return "FeedbackReporter{state="
        + dispatcher.state()
        + ", settings="
        + settings
        + ", transport="
        + transport
        + '}';
  }
}
