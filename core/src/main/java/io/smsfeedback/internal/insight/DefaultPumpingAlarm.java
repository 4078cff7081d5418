package io.smsfeedback.internal.insight;

import io.smsfeedback.insight.AlarmEpisode;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.insight.ConversionSnapshot;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.insight.WindowStats;
import io.smsfeedback.internal.LogOnce;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PumpingAlarm}: see its javadoc for the rules.
 *
 * <p>Lock discipline: {@code episodes} and {@code active} are guarded by this object's lock, held
 * for a whole {@link #check()} (listeners are called under it, one event at a time).
 */
public final class DefaultPumpingAlarm implements PumpingAlarm {

  private static final Logger log = LoggerFactory.getLogger(PumpingAlarm.class);

  private static final Duration RECENT = ConversionStats.WINDOWS.get(0);
  private static final Duration HOUR = ConversionStats.WINDOWS.get(1);
  private static final Duration DAY = ConversionStats.WINDOWS.get(2);

  /** A country in alarm: how it was raised, its frozen baseline, when a rule last held. */
  private static final class Episode {
    final AlarmEvent raised;
    Instant lastBad;

    Episode(AlarmEvent raised) {
      this.raised = raised;
      this.lastBad = raised.at();
    }
  }

  private final ConversionStats stats;
  private final AlarmListener listener;
  private final int minSample;
  private final double dropFraction;
  private final double surgeFactor;
  private final int minBaseline;
  private final double assumedConversion;
  private final Duration clearAfter;
  private final LogOnce logs = new LogOnce(log);

  private final Map<String, Episode> episodes = new HashMap<>();
  /** Ended episodes, oldest first, at most {@link #EPISODES_KEPT}. */
  private final ArrayDeque<AlarmEpisode> ended = new ArrayDeque<>();
  private volatile List<AlarmEvent> active = List.of();

  public DefaultPumpingAlarm(
      ConversionStats stats,
      AlarmListener listener,
      int minSample,
      double dropFraction,
      double surgeFactor,
      int minBaseline,
      double assumedConversion,
      Duration clearAfter) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.minSample = minSample;
    this.dropFraction = dropFraction;
    this.surgeFactor = surgeFactor;
    this.minBaseline = minBaseline;
    this.assumedConversion = assumedConversion;
    this.clearAfter = Objects.requireNonNull(clearAfter, "clearAfter");
  }

  @Override
  public synchronized void check() {
    ConversionSnapshot snapshot = stats.snapshot();
    Instant now = snapshot.at();
    WindowStats recent = snapshot.window(RECENT);
    WindowStats hour = snapshot.window(HOUR);
    WindowStats day = snapshot.window(DAY);
    double totalBaseline = baseline(day.total(), hour.total(), assumedConversion);
    for (CountryStats r : recent.countries()) {
      String code = r.callingCode();
      Episode episode = episodes.get(code);
      double base =
          episode != null
              ? episode.raised.baseline()
              : baseline(day.country(code), hour.country(code), totalBaseline);
      AlarmEvent bad = judge(r, hour.country(code), base, now);
      if (bad == null) {
        continue;
      }
      if (episode != null) {
        episode.lastBad = now;
      } else {
        episodes.put(code, new Episode(bad));
        log.warn(
            "sms-feedback: possible SMS pumping to calling code +{} ({}): in the last {} min {}"
                + " sent, {} decided, {} verified; upper bound {} vs baseline conversion {}."
                + " Logged once until it clears.",
            code,
            bad.reason(),
            RECENT.toMinutes(),
            bad.recentSent(),
            bad.recentDecided(),
            bad.recentSuccesses(),
            String.format(Locale.ROOT, "%.3f", bad.upperBound()),
            String.format(Locale.ROOT, "%.3f", bad.baseline()));
        tell(true, bad);
      }
    }
    var it = episodes.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Episode> e = it.next();
      Episode episode = e.getValue();
      if (episode.lastBad.plus(clearAfter).isAfter(now)) {
        continue;
      }
      it.remove();
      if (ended.size() == EPISODES_KEPT) {
        ended.removeFirst();
      }
      ended.addLast(
          new AlarmEpisode(
              e.getKey(), episode.raised.reason(), episode.raised.at(), now));
      CountryStats r = recent.country(e.getKey());
      AlarmEvent cleared =
          new AlarmEvent(
              e.getKey(),
              episode.raised.reason(),
              now,
              r.sent(),
              r.decided(),
              r.successes(),
              r.decided() == 0 ? 1.0 : Wilson.upper(r.successes(), r.decided()),
              episode.raised.baseline());
      log.info(
          "sms-feedback: the pumping alarm for calling code +{} cleared (no sign for {} min)",
          e.getKey(),
          clearAfter.toMinutes());
      tell(false, cleared);
    }
    List<AlarmEvent> raisedNow = new ArrayList<>();
    for (Episode episode : episodes.values()) {
      raisedNow.add(episode.raised);
    }
    active = List.copyOf(raisedNow);
  }

  /** The alarm a country's recent figures call for, or null. */
  private @Nullable AlarmEvent judge(CountryStats r, CountryStats hour, double base, Instant now) {
    double threshold = dropFraction * base;
    if (r.decided() >= minSample) {
      double upper = Wilson.upper(r.successes(), r.decided());
      if (upper < threshold) {
        return event(r, AlarmEvent.Reason.CONVERSION_DROP, now, upper, base);
      }
    }
    if (r.sent() >= minSample) {
      // the country's average sends per 5 minutes over the 55 minutes before them
      double before = (hour.sent() - r.sent()) / (double) (HOUR.dividedBy(RECENT) - 1);
      if (r.sent() >= surgeFactor * before) {
        double upper = Wilson.upper(Math.min(r.successes(), r.sent()), r.sent());
        if (upper < threshold) {
          return event(r, AlarmEvent.Reason.SEND_SURGE, now, upper, base);
        }
      }
    }
    return null;
  }

  private static AlarmEvent event(
      CountryStats r, AlarmEvent.Reason reason, Instant now, double upper, double base) {
    return new AlarmEvent(
        r.callingCode(), reason, now, r.sent(), r.decided(), r.successes(), upper, base);
  }

  /** Conversion over the day before the last hour, or {@code fallback} with too few outcomes. */
  private double baseline(CountryStats day, CountryStats hour, double fallback) {
    long decided = day.decided() - hour.decided();
    if (decided < minBaseline) {
      return fallback;
    }
    return (double) (day.successes() - hour.successes()) / decided;
  }

  private void tell(boolean raised, AlarmEvent event) {
    try {
      if (raised) {
        listener.raised(event);
      } else {
        listener.cleared(event);
      }
    } catch (RuntimeException e) {
      logs.warn("listener", "sms-feedback: the alarm listener threw; ignored", e);
    }
  }

  @Override
  public List<AlarmEvent> active() {
    return active;
  }

  @Override
  public synchronized List<AlarmEpisode> episodes() {
    List<AlarmEpisode> all = new ArrayList<>(ended);
    for (Episode e : episodes.values()) {
      all.add(new AlarmEpisode(e.raised.callingCode(), e.raised.reason(), e.raised.at(), null));
    }
    all.sort(Comparator.comparing(AlarmEpisode::raisedAt).thenComparing(AlarmEpisode::callingCode));
    return List.copyOf(all);
  }

  @Override
  public String toString() {
    return "PumpingAlarm{active=" + active.size() + '}';
  }
}
