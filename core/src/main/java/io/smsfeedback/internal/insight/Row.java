package io.smsfeedback.internal.insight;

import io.smsfeedback.insight.CountryStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/** One calling code's (or total's) buckets, one ring per window. Thread-safe. */
final class Row {

  /** Each window's bucket width in millis and count of buckets, as ConversionStats documents. */
  static final long[][] LAYOUT = {{30_000, 10}, {300_000, 12}, {3_600_000, 24}};

  final String name;
  private final Buckets[] windows;
  /** Counts since the statistics were made (sent, success and the failure reasons), for counters. */
  private final AtomicLongArray sinceStart = new AtomicLongArray(Buckets.TIMES);

  Row(String name) {
    this.name = name;
    this.windows = new Buckets[LAYOUT.length];
    for (int w = 0; w < LAYOUT.length; w++) {
      windows[w] = new Buckets(LAYOUT[w][0], (int) LAYOUT[w][1]);
    }
  }

  void add(long nowMillis, int field) {
    for (Buckets b : windows) {
      b.add(nowMillis, field);
    }
    sinceStart.incrementAndGet(field);
  }

  /** Adds a success and its time to verify. */
  void success(long nowMillis, long verifyMillis) {
    int bin = Buckets.TIMES + VerifyTimes.bin(verifyMillis);
    for (Buckets b : windows) {
      b.add(nowMillis, Buckets.SUCCESS);
      b.add(nowMillis, bin);
    }
    sinceStart.incrementAndGet(Buckets.SUCCESS);
  }

  /** The counts since start, as a counters array without times to verify. */
  long[] sinceStart() {
    long[] c = new long[Buckets.FIELDS];
    for (int f = 0; f < Buckets.TIMES; f++) {
      c[f] = sinceStart.get(f);
    }
    return c;
  }

  /** The raw counters of window {@code w} at {@code nowMillis}. */
  long[] counts(int w, long nowMillis) {
    long[] sums = new long[Buckets.FIELDS];
    windows[w].sumInto(nowMillis, sums);
    return sums;
  }

  /** The counters of window {@code w} bucket by bucket, oldest first. */
  long[][] perBucket(int w, long nowMillis) {
    return windows[w].perBucket(nowMillis);
  }

  static CountryStats stats(String name, long[] c) {
    return new CountryStats(
        name,
        c[Buckets.SENT],
        c[Buckets.SUCCESS],
        c[Buckets.SUPERSEDED],
        c[Buckets.MAX_ATTEMPTS],
        c[Buckets.ABANDONED],
        VerifyTimes.quantile(c, Buckets.TIMES, 0.50),
        VerifyTimes.quantile(c, Buckets.TIMES, 0.95));
  }

  static boolean isEmpty(long[] c) {
    for (int f = 0; f < Buckets.TIMES; f++) {
      if (c[f] != 0) {
        return false;
      }
    }
    return true;
  }

  static List<Duration> lengths() {
    return List.of(
        Duration.ofMillis(LAYOUT[0][0] * LAYOUT[0][1]),
        Duration.ofMillis(LAYOUT[1][0] * LAYOUT[1][1]),
        Duration.ofMillis(LAYOUT[2][0] * LAYOUT[2][1]));
  }
}
