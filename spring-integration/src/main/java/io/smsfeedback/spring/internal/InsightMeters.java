package io.smsfeedback.spring.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.ConversionSnapshot;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.PumpingAlarm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * Micrometer gauges of the conversion statistics and the pumping alarm:
 *
 * <ul>
 *   <li>{@code sms.feedback.conversion}, tags {@code country} (a calling code, {@code total},
 *       {@code unknown} or {@code other}), {@code window} ({@code 5m}, {@code 1h}) and {@code
 *       outcome} ({@code sent}, {@code success}, {@code failure}): counts in the sliding window;
 *   <li>{@code sms.feedback.conversion.outcomes}, tags {@code country} and {@code outcome}:
 *       counters of the same since the start (for {@code rate()});
 *   <li>{@code sms.feedback.alarm.active}, tag {@code country}: 1 while the country is in alarm.
 * </ul>
 *
 * A country's gauges are registered when it first shows in a snapshot; the statistics keep at
 * most {@code maxCountries + 3} rows, so there are at most {@code (maxCountries + 3) x 10} series
 * (670 with the default 64). Snapshots are read at most once per second, whatever the scrapes.
 */
public final class InsightMeters implements MeterBinder {

  /** The windows exported, with their tag values. */
  private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofHours(1));

  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final ConversionStats stats;
  private final PumpingAlarm alarm;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Set<String> countries = ConcurrentHashMap.newKeySet();
  private volatile ConversionSnapshot snapshot;
  private volatile long snapshotAt;
  private volatile List<CountryStats> sinceStart;
  private volatile long sinceStartAt;

  public InsightMeters(ConversionStats stats, PumpingAlarm alarm) {
    this.stats = stats;
    this.alarm = alarm;
    this.snapshot = stats.snapshot();
    this.snapshotAt = System.nanoTime();
    this.sinceStart = stats.sinceStart();
    this.sinceStartAt = snapshotAt;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    register(registry, ConversionStats.TOTAL);
    for (String country : countries) {
      register(registry, country);
    }
    refresh();
  }

  /** Reads a snapshot if the last one is older than 1 s and registers the countries new in it. */
  ConversionSnapshot refresh() {
    long now = System.nanoTime();
    ConversionSnapshot s = snapshot;
    if (now - snapshotAt >= MAX_AGE_NANOS) {
      s = stats.snapshot();
      snapshot = s;
      snapshotAt = now;
    }
    for (var window : s.windows()) {
      for (CountryStats c : window.countries()) {
        if (countries.add(c.callingCode())) {
          for (MeterRegistry registry : registries) {
            register(registry, c.callingCode());
          }
        }
      }
    }
    return s;
  }

  private void register(MeterRegistry registry, String country) {
    for (Duration window : WINDOWS) {
      gauge(registry, country, window, "sent", CountryStats::sent);
      gauge(registry, country, window, "success", CountryStats::successes);
      gauge(registry, country, window, "failure", CountryStats::failures);
    }
    counter(registry, country, "sent", CountryStats::sent);
    counter(registry, country, "success", CountryStats::successes);
    counter(registry, country, "failure", CountryStats::failures);
    Gauge.builder("sms.feedback.alarm.active", this, m -> m.active(country))
        .description("1 while SMS pumping is suspected for the destination country")
        .tag("country", country)
        .strongReference(true)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String country,
      Duration window,
      String outcome,
      ToLongFunction<CountryStats> count) {
    Gauge.builder(
            "sms.feedback.conversion",
            this,
            m -> count.applyAsLong(m.row(country, window)))
        .description("OTPs sent and decided in the sliding window, per destination country")
        .tag("country", country)
        .tag("window", tag(window))
        .tag("outcome", outcome)
        .strongReference(true)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String country, String outcome, ToLongFunction<CountryStats> count) {
    FunctionCounter.builder(
            "sms.feedback.conversion.outcomes",
            this,
            m -> count.applyAsLong(m.sinceStart(country)))
        .description("OTPs sent and decided since the start, per destination country")
        .tag("country", country)
        .tag("outcome", outcome)
        .register(registry);
  }

  private CountryStats sinceStart(String country) {
    for (CountryStats c : sinceStart()) {
      if (c.callingCode().equals(country)) {
        return c;
      }
    }
    return new CountryStats(country, 0, 0, 0, 0, 0, null, null);
  }

  /** The counts since start, read at most once per second like the snapshot. */
  private List<CountryStats> sinceStart() {
    long now = System.nanoTime();
    List<CountryStats> s = sinceStart;
    if (now - sinceStartAt >= MAX_AGE_NANOS) {
      s = stats.sinceStart();
      sinceStart = s;
      sinceStartAt = now;
    }
    return s;
  }

  private CountryStats row(String country, Duration window) {
    var w = refresh().window(window);
    return ConversionStats.TOTAL.equals(country) ? w.total() : w.country(country);
  }

  private double active(String country) {
    for (AlarmEvent e : alarm.active()) {
      if (e.callingCode().equals(country)) {
        return 1;
      }
    }
    return 0;
  }

  static String tag(Duration window) {
    return window.toHours() >= 1 ? window.toHours() + "h" : window.toMinutes() + "m";
  }
}
