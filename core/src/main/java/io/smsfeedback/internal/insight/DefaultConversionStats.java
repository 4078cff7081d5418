package io.smsfeedback.internal.insight;

import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionSeries;
import io.smsfeedback.insight.ConversionSnapshot;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.WindowStats;
import io.smsfeedback.store.TrackingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ConversionStats}: see its javadoc for the contract.
 *
 * <p>Lock discipline: {@code rows} is a concurrent map; a new row is admitted under {@code rows}'
 * lock so that at most {@code maxCountries} exist. Everything else is in {@link Row}.
 */
public final class DefaultConversionStats implements ConversionStats {

  private final Clock clock;
  private final int maxCountries;
  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  private final Row total = new Row(TOTAL);
  private final Row unknown = new Row(UNKNOWN);
  private final Row other = new Row(OTHER);
  private final Destinations destinations;

  public DefaultConversionStats(Clock clock, int maxCountries, int maxPendingDestinations) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxCountries = maxCountries;
    this.destinations =
        new Destinations(maxPendingDestinations, DESTINATION_MAX_AGE.toMillis());
  }

  @Override
  public void destination(UUID umid, String callingCode) {
    Objects.requireNonNull(umid, "umid");
    Objects.requireNonNull(callingCode, "callingCode");
    destinations.note(umid, isCallingCode(callingCode) ? callingCode : UNKNOWN, clock.millis());
  }

  @Override
  public void tracked(SentOtp otp) {
    long now = clock.millis();
    Row row = row(destinations.get(otp.umid()));
    row.add(now, Buckets.SENT);
    total.add(now, Buckets.SENT);
  }

  @Override
  public void decided(SentOtp otp, TrackingState state, Instant decidedAt) {
    long now = clock.millis();
    Row row = row(destinations.remove(otp.umid()));
    if (state == TrackingState.VERIFIED) {
      long verifyMillis = Duration.between(otp.sentAt(), decidedAt).toMillis();
      row.success(now, verifyMillis);
      total.success(now, verifyMillis);
      return;
    }
    int field =
        switch (state) {
          case SUPERSEDED -> Buckets.SUPERSEDED;
          case MAX_ATTEMPTS -> Buckets.MAX_ATTEMPTS;
          case ABANDONED -> Buckets.ABANDONED;
          default -> -1;
        };
    if (field >= 0) {
      row.add(now, field);
      total.add(now, field);
    }
  }

  @Override
  public ConversionSnapshot snapshot() {
    long now = clock.millis();
    List<Duration> lengths = Row.lengths();
    List<WindowStats> windows = new ArrayList<>(lengths.size());
    for (int w = 0; w < lengths.size(); w++) {
      List<CountryStats> countries = new ArrayList<>();
      for (Row row : rowsNow()) {
        long[] counts = row.counts(w, now);
        if (!Row.isEmpty(counts)) {
          countries.add(Row.stats(row.name, counts));
        }
      }
      countries.sort(
          Comparator.comparingLong(CountryStats::sent)
              .reversed()
              .thenComparing(CountryStats::callingCode));
      windows.add(
          new WindowStats(lengths.get(w), Row.stats(TOTAL, total.counts(w, now)), countries));
    }
    return new ConversionSnapshot(Instant.ofEpochMilli(now), windows, destinations.notKept());
  }

  @Override
  public List<CountryStats> sinceStart() {
    List<CountryStats> out = new ArrayList<>();
    out.add(Row.stats(TOTAL, total.sinceStart()));
    for (Row row : rowsNow()) {
      long[] counts = row.sinceStart();
      if (!Row.isEmpty(counts)) {
        out.add(Row.stats(row.name, counts));
      }
    }
    return out;
  }

  @Override
  public ConversionSeries series(Duration window) {
    int w = Row.lengths().indexOf(window);
    if (w < 0) {
      throw new IllegalArgumentException("window must be one of " + WINDOWS + ": " + window);
    }
    long now = clock.millis();
    long width = Row.LAYOUT[w][0];
    int size = (int) Row.LAYOUT[w][1];
    long oldest = (Math.floorDiv(now, width) - size + 1) * width;
    List<Instant> starts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      starts.add(Instant.ofEpochMilli(oldest + i * width));
    }
    List<ConversionSeries.Row> rows = new ArrayList<>();
    rows.add(seriesRow(TOTAL, total.perBucket(w, now)));
    List<ConversionSeries.Row> countries = new ArrayList<>();
    for (Row row : rowsNow()) {
      long[][] buckets = row.perBucket(w, now);
      boolean any = false;
      for (long[] b : buckets) {
        any |= !Row.isEmpty(b);
      }
      if (any) {
        countries.add(seriesRow(row.name, buckets));
      }
    }
    countries.sort(
        Comparator.comparingLong(ConversionSeries.Row::sent)
            .reversed()
            .thenComparing(ConversionSeries.Row::callingCode));
    rows.addAll(countries);
    return new ConversionSeries(window, Duration.ofMillis(width), starts, rows);
  }

  private static ConversionSeries.Row seriesRow(String name, long[][] buckets) {
    List<CountryStats> stats = new ArrayList<>(buckets.length);
    for (long[] b : buckets) {
      stats.add(Row.stats(name, b));
    }
    return new ConversionSeries.Row(name, stats);
  }

  /** The country rows with unknown and other. */
  List<Row> rowsNow() {
    List<Row> all = new ArrayList<>(rows.values());
    all.add(unknown);
    all.add(other);
    return all;
  }

  private Row row(@Nullable String callingCode) {
    if (callingCode == null || callingCode.equals(UNKNOWN)) {
      return unknown;
    }
    Row row = rows.get(callingCode);
    if (row != null) {
      return row;
    }
    if (rows.size() >= maxCountries) {
      return other;
    }
    synchronized (rows) {
      row = rows.get(callingCode);
      if (row == null) {
        if (rows.size() >= maxCountries) {
          return other;
        }
        row = new Row(callingCode);
        rows.put(callingCode, row);
      }
      return row;
    }
  }

  private static boolean isCallingCode(String s) {
    int n = s.length();
    if (n < 1 || n > 3 || s.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ConversionStats{countries=" + rows.size() + ", pendingDestinations="
        + destinations.size() + '}';
  }
}
