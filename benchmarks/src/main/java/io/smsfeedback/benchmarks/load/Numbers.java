package io.smsfeedback.benchmarks.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Medians, percentiles and formatting. */
final class Numbers {

  private Numbers() {}

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** The value at quantile {@code q} (nearest rank) of {@code sorted}. */
  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long[] sorted(long[] values, int n) {
    long[] copy = Arrays.copyOf(values, n);
    Arrays.sort(copy);
    return copy;
  }

  /** "median (min–max)" of the rounds. */
  static String spread(List<Double> values, String format) {
    return String.format(Locale.ROOT, format, median(values))
        + " ("
        + String.format(Locale.ROOT, format, min(values))
        + "–"
        + String.format(Locale.ROOT, format, max(values))
        + ")";
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
