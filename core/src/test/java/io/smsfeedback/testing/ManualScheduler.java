package io.smsfeedback.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic {@link ScheduledExecutorService} driven by a {@link ManualClock}: tasks run only
 * inside {@link #runDue()} or {@link #advance(Duration)}, on the calling thread, in time order
 * (ties in submission order). Submissions from any thread are allowed.
 */
public final class ManualScheduler implements ScheduledExecutorService {

  private final ManualClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean shutdown;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  public ManualClock clock() {
    return clock;
  }

  /** Runs every task due now, including tasks those tasks schedule for now. Returns how many ran. */
  public int runDue() {
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at.isAfter(clock.instant())) {
          return ran;
        }
        queue.poll();
      }
      next.run();
      ran++;
    }
  }

  /** Moves the clock forward in steps to each due task, running tasks as their time comes. */
  public void advance(Duration d) {
    Instant end = clock.instant().plus(d);
    while (true) {
      runDue();
      Instant nextAt;
      synchronized (this) {
        Task<?> next = queue.peek();
        nextAt = next == null ? null : next.at;
      }
      if (nextAt == null || nextAt.isAfter(end)) {
        break;
      }
      if (nextAt.isAfter(clock.instant())) {
        clock.set(nextAt);
      }
    }
    if (end.isAfter(clock.instant())) {
      clock.set(end);
    }
    runDue();
  }

  /** Tasks not yet run (including cancelled ones not yet purged). */
  public synchronized int pending() {
    queue.removeIf(Task::isCancelled);
    return queue.size();
  }

  /** When the earliest pending task is due, or null. */
  public synchronized Instant nextDue() {
    queue.removeIf(Task::isCancelled);
    Task<?> t = queue.peek();
    return t == null ? null : t.at;
  }

  private <T> Task<T> enqueue(Callable<T> c, long delayNanos) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task<T> t = new Task<>(c, clock.instant().plusNanos(Math.max(0, delayNanos)), sequence.getAndIncrement());
    synchronized (this) {
      queue.add(t);
    }
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return enqueue(
        () -> {
          command.run();
          return null;
        },
        unit.toNanos(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return enqueue(callable, unit.toNanos(delay));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Repeating r = new Repeating(command, unit.toNanos(delay));
    r.current = enqueue(r, unit.toNanos(initialDelay));
    return r;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return schedule(
        () -> {
          task.run();
          return result;
        },
        0,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>();
    for (Task<?> t : queue) {
      left.add(t::run);
    }
    queue.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  private final class Repeating implements Callable<Void>, ScheduledFuture<Void> {
    private final Runnable command;
    private final long delayNanos;
    volatile Task<Void> current;
    private volatile boolean cancelled;

    Repeating(Runnable command, long delayNanos) {
      this.command = command;
      this.delayNanos = delayNanos;
    }

    @Override
    public Void call() {
      command.run();
      if (!cancelled && !shutdown) {
        current = enqueue(this, delayNanos);
      }
      return null;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return current.getDelay(unit);
    }

    @Override
    public int compareTo(Delayed o) {
      return current.compareTo(o);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return current.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Void get() {
      throw new UnsupportedOperationException("periodic task");
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("periodic task");
    }
  }

  private final class Task<T> implements ScheduledFuture<T>, Comparable<Delayed> {
    final Callable<T> callable;
    final Instant at;
    final long seq;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Task(Callable<T> callable, Instant at, long seq) {
      this.callable = callable;
      this.at = at;
      this.seq = seq;
    }

    void run() {
      if (result.isDone()) {
        return;
      }
      try {
        result.complete(callable.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
        if (e instanceof Error err) {
          throw err;
        }
        if (e instanceof RuntimeException re) {
          throw re; // surface bugs in tests instead of swallowing them
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), at).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      if (o instanceof Task<?> t) {
        int c = at.compareTo(t.at);
        return c != 0 ? c : Long.compare(seq, t.seq);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return result.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }
}
