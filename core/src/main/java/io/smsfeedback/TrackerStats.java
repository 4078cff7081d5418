package io.smsfeedback;

/**
 * A snapshot of a {@link ConversionTracker}'s counters.
 *
 * @param tracked OTPs held now (pending plus finished ones kept until their window passes)
 * @param pending OTPs waiting for an outcome
 * @param successes success outcomes decided
 * @param failuresSuperseded failures because a newer OTP replaced the umid
 * @param failuresMaxAttempts failures because {@code max-attempts} wrong codes were entered
 * @param failuresAbandoned failures because nothing happened within {@code abandon-after}
 * @param wrongCodes wrong codes counted
 * @param duplicates signals for a umid that already had its outcome
 * @param unknown signals for a umid not tracked
 * @param tooLate signals after the feedback window
 * @param overCapacity sends not tracked because {@code max-tracked} was reached
 */
public record TrackerStats(
    long tracked,
    long pending,
    long successes,
    long failuresSuperseded,
    long failuresMaxAttempts,
    long failuresAbandoned,
    long wrongCodes,
    long duplicates,
    long unknown,
    long tooLate,
    long overCapacity) {

  public long failures() {
    return failuresSuperseded + failuresMaxAttempts + failuresAbandoned;
  }
}
