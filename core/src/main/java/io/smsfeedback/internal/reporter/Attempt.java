package io.smsfeedback.internal.reporter;

import io.smsfeedback.TransportResult;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of an {@link Item}; made when it starts, so a queued item that never started has
 * none. A callback for an attempt that is no longer its item's in-flight one is stale and ignored.
 * Guarded by the reporter's dispatcher lock.
 */
final class Attempt {
  /** 1 for the first attempt. */
  final int number;
  final Instant startedAt;
  /** Until its answer, the timeout or shutdown. */
  boolean inFlight = true;
  /** This attempt's answer once it came; until then the previous attempt's, or null. */
  @Nullable TransportResult result;
  /** After a retryable answer: when the next attempt may start, in epoch nanoseconds. */
  long retryAt;
  /** The {@link ConcurrencyLimit#window()} it started in. */
  long window;
  @Nullable CompletableFuture<TransportResult> future;
  @Nullable ScheduledFuture<?> guard;

  Attempt(int number, Instant startedAt, @Nullable TransportResult previous) {
    this.number = number;
    this.startedAt = startedAt;
    this.result = previous;
  }

  /**
   * Ends this attempt: no longer in flight, its guard timer cancelled unless {@code keepGuard} (the
   * guard is what is firing), its future forgotten. Returns that future for the caller to cancel
   * outside the lock, or null if none.
   */
  @Nullable CompletableFuture<TransportResult> end(boolean keepGuard) {
    inFlight = false;
    ScheduledFuture<?> g = guard;
    guard = null;
    if (g != null && !keepGuard) {
      g.cancel(false);
    }
    CompletableFuture<TransportResult> f = future;
    future = null;
    return f;
  }
}
