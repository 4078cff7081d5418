package io.smsfeedback;

/** The terminal state of one accepted feedback. */
public enum DeliveryState {
  /** 8x8 answered 2xx. */
  DELIVERED,
  /** 8x8 refused it for good (a 4xx other than 408/429), or it was refused locally before sending. */
  REJECTED,
  /** Its deadline ({@code sentAt + validity}) passed before 8x8 accepted it. */
  EXPIRED,
  /** Never sent: the queue was full or the reporter shut down. */
  DROPPED
}
