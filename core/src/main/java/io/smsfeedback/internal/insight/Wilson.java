package io.smsfeedback.internal.insight;

/** The Wilson score interval's upper bound for a binomial proportion (RATIONALE.md). */
final class Wilson {

  /** z for a one-sided 97.5% / two-sided 95% bound. */
  static final double Z95 = 1.96;

  private Wilson() {}

  /** The upper bound of the 95% Wilson interval of {@code successes} out of {@code n} (n > 0). */
  static double upper(long successes, long n) {
    double p = Math.min(1.0, (double) successes / n);
    double z2 = Z95 * Z95;
    double centre = p + z2 / (2.0 * n);
    double spread = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * (double) n));
    return Math.min(1.0, (centre + spread) / (1 + z2 / n));
  }
}
