package io.smsfeedback.internal.reporter;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryEvent.DropReason;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.config.Durations;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request threads' side of the reporter: {@code report()}'s duplicate check, its counters, and
 * a buffer of arrivals that the dispatcher takes in one swap.
 *
 * <p>Lock discipline: this object's monitor guards every field but {@link #queuedBehind} (volatile,
 * written by the dispatcher) and {@link #spare} (only {@link #takeInto}'s caller touches it, under
 * the dispatcher lock). Whoever holds both takes the dispatcher lock first, then this monitor;
 * nothing here calls out while holding it, so a report waits only for another report's few map
 * and array operations, or a take's swap.
 */
final class Intake {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  private final Clock clock;
  private final RetryPolicy policy;
  private final int capacity;
  private final Effects.Context effects;
  /** Made once: a flood of refusals must not build strings under the monitor. */
  private final String tooLateMessage;
  private final String queueFullMessage;

  private final RememberedUmids remembered = new RememberedUmids();
  private Item[] arrivals = new Item[16];
  private int arrivalCount;
  private int seq;
  private boolean open = true;
  private long accepted;
  private long duplicates;
  private long droppedQueueFull;
  private long expired;
  private long droppedShutdown;

  /**
   * Queued in the dispatcher's schedule as of its last critical section, or of the last take: what
   * counts against the capacity besides the arrivals.
   */
  private volatile int queuedBehind;
  /** The arrivals buffer last taken, kept to swap back in. */
  private Item[] spare = new Item[16];

  Intake(FeedbackSettings settings, Clock clock, RetryPolicy policy, Effects.Context effects) {
    this.clock = clock;
    this.policy = policy;
    this.capacity = settings.queueCapacity();
    this.effects = effects;
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
  }

  /**
   * Counts {@code feedback} and appends it to the arrivals unless it is a duplicate, the intake is
   * closed, its deadline has passed for an attempt or the queue is full. Returns null if it was
   * appended, else the refusal's effects (made with the counters, so that {@code flush()} cannot
   * see the count without them), to be run by the caller. The clock is read here, in the method
   * that uses the instant, so that the JIT can keep it off the heap on the common path.
   */
  @Nullable Effects offer(Feedback feedback) {
    Instant now = clock.instant();
    long nowNanos = Nanos.epoch(now);
    long deadline = policy.deadline(feedback);
    synchronized (this) {
      int slot = remembered.find(feedback.umid(), nowNanos);
      if (slot < 0) {
        duplicates++;
        return duplicate(feedback);
      }
      accepted++;
      if (!open) {
        droppedShutdown++;
        return refused(feedback, DeliveryState.DROPPED, DropReason.SHUTDOWN, now);
      }
      if (RetryPolicy.expired(nowNanos, deadline)) {
        expired++;
        return refused(feedback, DeliveryState.EXPIRED, null, now);
      }
      if (arrivalCount + queuedBehind >= capacity) {
        droppedQueueFull++;
        return refused(feedback, DeliveryState.DROPPED, DropReason.QUEUE_FULL, now);
      }
      if (arrivalCount == arrivals.length) {
        arrivals = Arrays.copyOf(arrivals, arrivalCount + (arrivalCount >> 1) + 1);
      }
      arrivals[arrivalCount++] = new Item(feedback, deadline, seq++);
      remembered.add(slot, feedback.umid(), deadline, nowNanos);
      return null;
    }
  }

  private Effects duplicate(Feedback feedback) {
    Effects fx = effects.open();
    if (log.isDebugEnabled()) {
      fx.add(() -> log.debug("Duplicate feedback for umid {} ignored (first wins)", feedback.umid()));
    }
    return fx;
  }

  private Effects refused(
      Feedback feedback, DeliveryState state, @Nullable DropReason reason, Instant now) {
    Effects fx = effects.open();
    fx.terminal(new DeliveryEvent(feedback, state, reason, 0, null, null, now));
    if (state == DeliveryState.EXPIRED) {
      fx.warnOnce("expired-on-report", tooLateMessage);
    } else if (reason == DropReason.QUEUE_FULL) {
      fx.warnOnce("dropped-queue-full", queueFullMessage);
    } else {
      fx.warnOnce(
          "dropped-after-close",
          "Feedback reported after the reporter was closed: dropped (counted as"
              + " droppedShutdown); close the reporter after the components that report");
    }
    return fx;
  }

  /**
   * Moves the arrivals into {@code schedule}'s ready heap; false if there were none. The caller
   * holds the dispatcher lock.
   */
  boolean takeInto(DeliverySchedule schedule) {
    Item[] taken;
    int n;
    synchronized (this) {
      n = arrivalCount;
      if (n == 0) {
        return false;
      }
      taken = arrivals;
      arrivals = spare;
      arrivalCount = 0;
      queuedBehind = schedule.size() + n;
    }
    for (int i = 0; i < n; i++) {
      schedule.add(taken[i]);
      taken[i] = null;
    }
    spare = taken;
    return true;
  }

  synchronized boolean hasArrivals() {
    return arrivalCount > 0;
  }

  /** Refuses every later report (counted as dropped at shutdown). */
  synchronized void close() {
    open = false;
  }

  /** The dispatcher's queue length after a change; written under the dispatcher lock. */
  void queued(int n) {
    queuedBehind = n;
  }

  /** Nothing arrived that was not taken, and every batch of effects handed out has run. */
  synchronized boolean idle() {
    return arrivalCount == 0 && effects.quiet();
  }

  /**
   * A snapshot of both sides; the caller holds the dispatcher lock, so that {@code outcomes} and
   * {@code queued} stand still meanwhile and the snapshot balances.
   */
  synchronized ReporterStats stats(Outcomes outcomes, int queued, long inFlight) {
    return new ReporterStats(
        accepted,
        outcomes.delivered,
        outcomes.rejected,
        outcomes.expired + expired,
        droppedQueueFull,
        outcomes.droppedShutdown + droppedShutdown,
        arrivalCount + queued,
        inFlight,
        duplicates,
        outcomes.attempts,
        outcomes.retries,
        outcomes.lastError,
        outcomes.lastErrorAt,
        outcomes.authFailing);
  }
}
