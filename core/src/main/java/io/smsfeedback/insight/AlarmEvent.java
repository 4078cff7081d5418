package io.smsfeedback.insight;

import java.time.Instant;
import java.util.Objects;

/**
 * A pumping alarm raised or cleared for one calling code, with the figures that decided it.
 *
 * @param callingCode the country calling code (or {@link ConversionStats#UNKNOWN} / {@link
 *     ConversionStats#OTHER})
 * @param reason why it was raised (for a clear: why the episode was raised)
 * @param at when the check ran (the statistics' clock)
 * @param recentSent sends in the recent window
 * @param recentDecided outcomes decided in the recent window
 * @param recentSuccesses successes in the recent window
 * @param upperBound the Wilson 95% upper bound of the recent rate that was compared (conversion of
 *     decided outcomes, or successes per send for {@link Reason#SEND_SURGE})
 * @param baseline the expected conversion it was compared with
 */
public record AlarmEvent(
    String callingCode,
    Reason reason,
    Instant at,
    long recentSent,
    long recentDecided,
    long recentSuccesses,
    double upperBound,
    double baseline) {

  /** What raised the alarm. */
  public enum Reason {
    /** The recent conversion of decided outcomes is far below the baseline. */
    CONVERSION_DROP,
    /** Sends jumped far above their recent rate while few of them convert. */
    SEND_SURGE
  }

  public AlarmEvent {
    Objects.requireNonNull(callingCode, "callingCode");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}
