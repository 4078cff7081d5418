package io.smsfeedback.internal.reporter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The queued feedbacks in the order they go out: a ready heap (earliest deadline first), a waiting
 * heap of retries (earliest retry first), the {@code Retry-After} pause of all new attempts, and
 * the one timer that wakes the dispatcher when the next of these is due.
 *
 * <p>Lock discipline: not thread-safe. Every field is guarded by the reporter's dispatcher lock,
 * under which all its methods are called; the wake-up it schedules takes that lock to run.
 */
final class DeliverySchedule {

  /** Schedules a task after a delay in nanoseconds; null if the scheduler refused it. */
  @FunctionalInterface
  interface Timer {
    @Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos);
  }

  private final Timer timer;
  private final Runnable onWakeup;
  private final PriorityQueue<Item> ready = new PriorityQueue<>(Item.EARLIEST_DEADLINE);
  private final PriorityQueue<Item> waiting = new PriorityQueue<>(Item.EARLIEST_RETRY);
  private @Nullable Instant pausedUntil;
  private @Nullable ScheduledFuture<?> wakeup;
  private long wakeupAt;

  /** {@code onWakeup} runs (by {@code timer}) when a retry, an expiry or the pause's end is due. */
  DeliverySchedule(Timer timer, Runnable onWakeup) {
    this.timer = timer;
    this.onWakeup = onWakeup;
  }

  /** Queued: ready or waiting, not in flight. */
  int size() {
    return ready.size() + waiting.size();
  }

  boolean isEmpty() {
    return ready.isEmpty() && waiting.isEmpty();
  }

  void add(Item it) {
    ready.add(it);
  }

  /** Waits for {@code it}'s retry time ({@link Item#retryAt()}, set before). */
  void retryLater(Item it) {
    waiting.add(it);
  }

  /** Moves the retries due at {@code now} to the ready heap. */
  void promoteDue(long now) {
    Item it;
    while ((it = waiting.peek()) != null && it.retryAt() <= now) {
      waiting.poll();
      ready.add(it);
    }
  }

  /** Removes and returns the next ready item that can no longer start at {@code now}, if any. */
  @Nullable Item pollExpired(long now) {
    Item it = ready.peek();
    return it != null && now >= it.lastStart() ? ready.poll() : null;
  }

  /** The ready item with the earliest deadline, unless attempts are paused at {@code now}. */
  @Nullable Item nextReady(Instant now) {
    return paused(now) ? null : ready.peek();
  }

  /**
   * Whether ready items wait for a slot, started or held back by a {@code Retry-After} pause: the
   * backlog that lets the in-flight limit grow. The pause only delays them; counting them as no
   * backlog would keep the limit at its floor through a storm of {@code 429}s.
   */
  boolean hasBacklog() {
    return !ready.isEmpty();
  }

  /** Removes the item {@link #nextReady} returned. */
  void started() {
    ready.poll();
  }

  /** Pauses new attempts until {@code until}, unless they are paused longer already. */
  void pauseUntil(Instant until) {
    if (pausedUntil == null || until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  boolean paused(Instant now) {
    return pausedUntil != null && now.isBefore(pausedUntil);
  }

  /** Until when attempts are paused at {@code now}, or null. */
  @Nullable Instant pausedUntil(Instant now) {
    return paused(now) ? pausedUntil : null;
  }

  /** The wake-up timer fired: a new one may be scheduled. */
  void woke() {
    wakeup = null;
  }

  /**
   * Makes sure the wake-up timer fires by the next due moment: the first retry, the first expiry of
   * a ready item, or the pause's end while ready items wait for it. Keeps an earlier timer.
   */
  void scheduleWakeup(Instant now, long nowNanos) {
    long next = Long.MAX_VALUE;
    boolean due = false;
    Item w = waiting.peek();
    if (w != null) {
      next = w.retryAt();
      due = true;
    }
    Item r = ready.peek();
    if (r != null) {
      next = Math.min(next, r.lastStart());
      due = true;
      Instant until = pausedUntil(now);
      if (until != null) {
        next = Math.min(next, Nanos.epoch(until));
      }
    }
    if (!due || (wakeup != null && wakeupAt <= next)) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    wakeupAt = next;
    wakeup = timer.schedule(onWakeup, Nanos.minus(next, nowNanos));
  }

  /** Empties both heaps and returns what they held. */
  List<Item> removeAll() {
    List<Item> all = new ArrayList<>(size());
    all.addAll(ready);
    all.addAll(waiting);
    ready.clear();
    waiting.clear();
    return all;
  }

  void cancelWakeup() {
    if (wakeup != null) {
      wakeup.cancel(false);
      wakeup = null;
    }
  }
}
