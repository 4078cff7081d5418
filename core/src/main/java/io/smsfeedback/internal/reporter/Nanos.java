package io.smsfeedback.internal.reporter;

import java.time.Duration;
import java.time.Instant;

/**
 * Saturated nanosecond maths: times as epoch nanoseconds in a {@code long}, clamped to {@code
 * Long.MIN_VALUE}/{@code MAX_VALUE} instead of overflowing (about the years 1677 to 2262), so every
 * deadline comparison stays exact and a far deadline or a huge timeout never wraps around.
 */
final class Nanos {

  private static final long MAX_EPOCH_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

  private Nanos() {}

  /** {@code t} as epoch nanoseconds, saturated outside about 1677 to 2262. */
  static long epoch(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds > MAX_EPOCH_SECONDS) {
      return Long.MAX_VALUE;
    }
    if (seconds < -MAX_EPOCH_SECONDS) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + t.getNano();
  }

  /** {@code d} in nanoseconds, saturated beyond about 292 years either way. */
  static long of(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static long plus(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  static long minus(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
