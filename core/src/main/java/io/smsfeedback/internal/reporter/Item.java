package io.smsfeedback.internal.reporter;

import io.smsfeedback.Feedback;
import io.smsfeedback.TransportResult;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * One accepted feedback on its way: 32 bytes with compressed references. Made by {@link Intake}
 * under its monitor, from then on touched only under the reporter's dispatcher lock. Which heap of
 * the {@link DeliverySchedule} holds it tells whether it is ready or waiting for a retry; its
 * attempt tells whether it is in flight.
 */
final class Item {

  /** Earliest deadline first, ties in report order: the order of the ready heap. */
  static final Comparator<Item> EARLIEST_DEADLINE =
      (a, b) -> {
        int c = Long.compare(a.deadline, b.deadline);
        return c != 0 ? c : reportOrder(a, b);
      };

  /** Earliest retry time first, ties in report order: the order of the waiting heap. */
  static final Comparator<Item> EARLIEST_RETRY =
      (a, b) -> {
        int c = Long.compare(a.retryAt(), b.retryAt());
        return c != 0 ? c : reportOrder(a, b);
      };

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

  /** The last moment an attempt may start: {@link RetryPolicy#lastStart}. */
  long lastStart() {
    return RetryPolicy.lastStart(deadline);
  }

  /** When this item may next start: its last attempt's retry time, or at once. */
  long retryAt() {
    Attempt a = attempt;
    return a == null ? lastStart() : a.retryAt;
  }

  @Nullable TransportResult last() {
    Attempt a = attempt;
    return a == null ? null : a.result;
  }

  int attempts() {
    Attempt a = attempt;
    return a == null ? 0 : a.number;
  }

  /** Whether {@code a} is this item's attempt and still in flight (else its callbacks are stale). */
  boolean inFlight(Attempt a) {
    return attempt == a && a.inFlight;
  }

  /** By {@link #seq}, wrapping: items alive at once are far fewer than 2^31 reports apart. */
  private static int reportOrder(Item a, Item b) {
    return Integer.compare(a.seq - b.seq, 0);
  }
}
