package io.smsfeedback.insight;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Counts for one destination country calling code (or {@link ConversionStats#TOTAL}, {@link
 * ConversionStats#UNKNOWN}, {@link ConversionStats#OTHER}) over one window.
 *
 * @param callingCode digits without {@code +} ({@code "65"}), or one of the reserved names
 * @param sent OTPs the tracker started tracking in the window
 * @param successes outcomes decided as success in the window
 * @param superseded failures because a newer OTP replaced the umid
 * @param maxAttempts failures because the last allowed wrong code was entered
 * @param abandoned failures because nobody came back within {@code abandon-after}
 * @param p50 median time from send to success, as the upper bound of its histogram bin; null
 *     without successes
 * @param p95 95th percentile of the same; null without successes
 */
public record CountryStats(
    String callingCode,
    long sent,
    long successes,
    long superseded,
    long maxAttempts,
    long abandoned,
    @Nullable Duration p50,
    @Nullable Duration p95) {

  public CountryStats {
    Objects.requireNonNull(callingCode, "callingCode");
  }

  /** Failures of every reason. */
  public long failures() {
    return superseded + maxAttempts + abandoned;
  }

  /** Outcomes decided: successes and failures. */
  public long decided() {
    return successes + failures();
  }

  /** Successes over decided outcomes, in [0, 1]; NaN when nothing was decided. */
  public double conversionRate() {
    long decided = decided();
    return decided == 0 ? Double.NaN : (double) successes / decided;
  }
}
