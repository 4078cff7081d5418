package io.smsfeedback.insight;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One window of the statistics bucket by bucket (preview), for a plot: {@link #starts()} are the
 * buckets' start instants, oldest first; each row has one {@link CountryStats} per bucket, in the
 * same order. Rows: {@link ConversionStats#TOTAL} first, then every row with counts in the window,
 * most sends first. Immutable.
 *
 * @param window the window's length (one of {@link ConversionStats#WINDOWS})
 * @param bucket one bucket's length
 * @param starts each bucket's start, oldest first
 * @param rows each row's buckets, in the order of {@code starts}
 */
public record ConversionSeries(
    Duration window, Duration bucket, List<Instant> starts, List<Row> rows) {

  /** One calling code's (or {@code total}'s) buckets. */
  public record Row(String callingCode, List<CountryStats> buckets) {
    public Row {
      Objects.requireNonNull(callingCode, "callingCode");
      buckets = List.copyOf(buckets);
    }

    /** The buckets summed: the row's figures over the whole window. */
    public long sent() {
      long n = 0;
      for (CountryStats b : buckets) {
        n += b.sent();
      }
      return n;
    }
  }

  public ConversionSeries {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(bucket, "bucket");
    starts = List.copyOf(starts);
    rows = List.copyOf(rows);
  }

  /** The row of {@code callingCode}, or null if it has no counts in the window. */
  public @Nullable Row row(String callingCode) {
    for (Row r : rows) {
      if (r.callingCode().equals(callingCode)) {
        return r;
      }
    }
    return null;
  }
}
