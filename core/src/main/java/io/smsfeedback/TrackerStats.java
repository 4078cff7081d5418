package io.smsfeedback;

/**
 * A snapshot of a {@link ConversionTracker}'s counters. Each counter is exact; the snapshot is not
 * taken atomically across counters. {@code tracked} and {@code pending} come from the store (-1 if
 * it failed to count).
 *
 * @param tracked OTPs held now (pending plus finished ones kept until their window passes)
 * @param pending OTPs waiting for an outcome
 * @param successes success outcomes decided (and handed to the reporter)
 * @param failuresSuperseded failures because a newer OTP replaced the umid
 * @param failuresMaxAttempts failures because {@code max-attempts} wrong codes were entered
 * @param failuresAbandoned failures because nothing happened within {@code abandon-after}
 * @param wrongCodes wrong codes counted (including one that reached {@code max-attempts})
 * @param duplicates signals for a umid that already had its outcome, and sends of a tracked umid
 * @param adopted umids that were not tracked when a signal for them arrived, and were adopted
 * @param tooLate calls after the umid's feedback window; nothing tracked or sent
 * @param expired pending umids whose window passed before the abandonment timer reached them (the
 *     timer was stopped or starved); nothing sent
 * @param overCapacity OTPs not tracked because {@code max-tracked} pending OTPs were held
 * @param afterClose calls after {@link ConversionTracker#close()}; nothing changed
 * @param errors calls (or abandonments) where the store or the reporter threw
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
    long adopted,
    long tooLate,
    long expired,
    long overCapacity,
    long afterClose,
    long errors) {

  /** All failures decided: superseded, max attempts and abandoned. */
  public long failures() {
    return failuresSuperseded + failuresMaxAttempts + failuresAbandoned;
  }

  /** All outcomes decided and handed to the reporter. */
  public long outcomes() {
    return successes + failures();
  }
}
