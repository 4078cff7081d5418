package io.smsfeedback.store;

import io.smsfeedback.FeedbackListener;
import java.time.Instant;
import java.util.List;

/**
 * An optional capability of a durable {@link TrackingStore}: it also keeps each decided outcome
 * until 8x8 has it, so an outcome decided by a node that dies before 8x8 acknowledged it is
 * reported by another node (or by the same one after a restart) before its deadline.
 *
 * <p><b>How it works.</b> When {@link TrackingStore#compareAndSet} moves a record into a state with
 * an outcome, the store also marks that outcome undelivered and leased to its own node, whose
 * tracker now hands it to its reporter. The reporter tells the store how the delivery ended through
 * {@link #deliveryListener()}, which must be added to that reporter: {@code DELIVERED}, {@code
 * REJECTED} and {@code EXPIRED} settle the outcome; {@code DROPPED} gives up the lease. At every
 * scan the tracker calls {@link #renewLeases} (the store renews the leases its node still holds),
 * then {@link #claimUndelivered} (the store claims outcomes whose lease has run out: their node
 * stopped, or dropped them); the tracker reports those again, with the outcome and timestamp that
 * were decided. Whether a store is an outbox is decided when it is built, not by these calls.
 *
 * <p><b>At least once.</b> If a node dies after 8x8 accepted a feedback but before the store
 * learned it, the outcome is reported a second time once the lease runs out. Every other path
 * reports it once.
 *
 * <p><b>Threading and failure.</b> As {@link TrackingStore}: thread-safe; may throw a {@link
 * RuntimeException}, which the tracker counts and logs. The listener must be fast and must not
 * throw: it should only hand the event to the store's own writer.
 */
public interface DeliveryOutbox {

  /**
   * Renews the leases this store's node holds on outcomes its reporter is still delivering, and
   * forgets those sent at or before {@code sentAfter} (past their window). The tracker calls it at
   * every scan, before {@link #claimUndelivered}; a store may also renew on its own. Default:
   * nothing (a store whose leases need no renewal).
   *
   * @param sentAfter outcomes of OTPs sent at or before this instant are past their window
   */
  default void renewLeases(Instant sentAfter) {}

  /**
   * Claims (leases to this node) up to {@code limit} outcomes that were decided but whose delivery
   * is neither settled nor leased, sent strictly after {@code sentAfter} (so their feedback window
   * is still open), earliest send first. The caller reports each one again. Renews no other
   * lease (that is {@link #renewLeases}).
   *
   * @param sentAfter outcomes of OTPs sent at or before this instant are past their window: skipped
   * @param limit at most this many are claimed
   * @return the claimed records, each in a final state with an outcome and a {@code decidedAt}
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  List<TrackedOtp> claimUndelivered(Instant sentAfter, int limit);

  /**
   * The listener that tells this store how each delivery ended; add it to the reporter the tracker
   * reports to ({@code FeedbackReporter.builder(settings).addListener(store.deliveryListener())}).
   * Without it, an implementation must not record outcomes as undelivered (nothing would ever
   * settle them, and they would be reported again).
   */
  FeedbackListener deliveryListener();
}
