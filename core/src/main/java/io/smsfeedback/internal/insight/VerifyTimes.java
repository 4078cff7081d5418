package io.smsfeedback.internal.insight;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The fixed histogram of time to verify: bins with upper bounds from 1 s to 15 min (the longest
 * feedback window), roughly 1.5x apart; anything longer falls in the last bin. Stateless.
 */
final class VerifyTimes {

  private static final long[] UPPER_MILLIS = {
    1_000, 2_000, 3_000, 5_000, 7_000, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 90_000,
    120_000, 180_000, 240_000, 300_000, 420_000, 600_000, 900_000
  };

  /** Number of bins. */
  static final int BINS = UPPER_MILLIS.length;

  private VerifyTimes() {}

  /** The bin of a time to verify; negative times go to the first bin. */
  static int bin(long millis) {
    for (int i = 0; i < BINS - 1; i++) {
      if (millis <= UPPER_MILLIS[i]) {
        return i;
      }
    }
    return BINS - 1;
  }

  /**
   * The upper bound of the bin holding the {@code q}-quantile of {@code counts} (read from {@code
   * offset}), or null if they are all zero.
   */
  static @Nullable Duration quantile(long[] counts, int offset, double q) {
    long total = 0;
    for (int i = 0; i < BINS; i++) {
      total += counts[offset + i];
    }
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BINS; i++) {
      seen += counts[offset + i];
      if (seen >= rank) {
        return Duration.ofMillis(UPPER_MILLIS[i]);
      }
    }
    return Duration.ofMillis(UPPER_MILLIS[BINS - 1]);
  }
}
