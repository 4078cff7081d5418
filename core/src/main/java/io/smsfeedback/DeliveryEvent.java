package io.smsfeedback;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The terminal state of one accepted feedback, as seen by a {@link FeedbackListener}.
 *
 * @param feedback the feedback
 * @param state how it ended
 * @param dropReason why it was dropped, for {@link DeliveryState#DROPPED}; else null
 * @param attempts HTTP attempts made (0 if it was never sent)
 * @param lastResult the last attempt's answer, or null if it was never sent
 * @param latency for {@link DeliveryState#DELIVERED} and {@link DeliveryState#REJECTED}: the time
 *     from the user's action ({@link Feedback#actedAt()}) to 8x8's answer; else null
 * @param at when the terminal state was reached
 */
public record DeliveryEvent(
    Feedback feedback,
    DeliveryState state,
    @Nullable DropReason dropReason,
    int attempts,
    @Nullable TransportResult lastResult,
    @Nullable Duration latency,
    Instant at) {

  /** Why a feedback was {@link DeliveryState#DROPPED}. */
  public enum DropReason {
    /** {@code report} found the queue full. */
    QUEUE_FULL,
    /** The reporter was closed before it could deliver it (or it was reported after close). */
    SHUTDOWN
  }

  /** The last HTTP status, or 0 if there was none (never sent, or an I/O error). */
  public int lastStatus() {
    return lastResult == null ? 0 : lastResult.status();
  }
}
