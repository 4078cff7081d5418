package io.smsfeedback;

/** The terminal state of one accepted feedback. */
public enum DeliveryState {
  /** 8x8 answered 2xx. */
  DELIVERED,
  /**
   * 8x8 refused it for good: a 4xx other than 408/429, 501, 505, or an unexpected 1xx/3xx final
   * answer (see {@link TransportResult}).
   */
  REJECTED,
  /** Its deadline ({@code sentAt + validity}) passed before 8x8 accepted it. */
  EXPIRED,
  /**
   * Not delivered: the queue was full when it was reported, it was reported after close, or it
   * was still queued or in flight when the shutdown timeout ended (see {@link
   * DeliveryEvent.DropReason}).
   */
  DROPPED
}
