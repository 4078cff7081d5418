package io.smsfeedback.testkit;

/**
 * Counts of accepted feedback by outcome. Every accepted request counts, duplicates included (see
 * {@link SmsApiSimulator#assertNoDuplicates()}).
 *
 * @param successes accepted feedback with outcome {@code success}
 * @param failures accepted feedback with outcome {@code failure}
 */
public record ConversionSummary(long successes, long failures) {

  /** Successes plus failures. */
  public long total() {
    return successes + failures;
  }

  /** {@code successes / (successes + failures)}, or 0 when there is no feedback yet. */
  public double rate() {
    long total = total();
    return total == 0 ? 0.0 : (double) successes / total;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%d successes, %d failures, rate %.1f%%",
        successes,
        failures,
        rate() * 100);
  }
}
