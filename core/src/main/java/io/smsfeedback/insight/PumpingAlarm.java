package io.smsfeedback.insight;

import io.smsfeedback.internal.insight.DefaultPumpingAlarm;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Watches {@link ConversionStats} for SMS pumping (preview): a destination country whose recent
 * OTPs stop converting. Each {@link #check()} reads one snapshot and, per calling code, raises an
 * alarm when either holds (RATIONALE.md states the statistics):
 *
 * <ul>
 *   <li>{@link AlarmEvent.Reason#CONVERSION_DROP}: at least {@code minSample} outcomes decided in
 *       the last 5 minutes, and the Wilson 95% upper bound of their conversion is below {@code
 *       dropFraction} x the baseline;
 *   <li>{@link AlarmEvent.Reason#SEND_SURGE}: at least {@code minSample} sends in the last 5
 *       minutes and {@code surgeFactor} times the country's 5-minute average over the 55 minutes
 *       before, and the Wilson 95% upper bound of successes per send in those 5 minutes is below
 *       {@code dropFraction} x the baseline.
 * </ul>
 *
 * <p>The baseline is the country's own conversion over the 24 hours before the last hour if it has
 * {@code minBaseline} decided outcomes there, else every country's together, else {@code
 * assumedConversion}; it is frozen while the country is in alarm, so a long attack does not become
 * its own baseline. An alarm clears by itself when neither rule has held for {@code clearAfter}.
 * Each episode logs one WARN when raised and one INFO when cleared, and tells the {@link
 * AlarmListener} once each.
 *
 * <p><b>Threading.</b> Thread-safe: checks are serialised; call {@link #check()} from one timer
 * (every 30 s is plenty; the windows move in 30 s buckets). Memory: one entry per country in alarm
 * or recently in alarm, at most the statistics' rows.
 */
public interface PumpingAlarm {

  /** An alarm with the defaults over {@code stats}. */
  static PumpingAlarm create(ConversionStats stats) {
    return builder(stats).build();
  }

  /** A builder to set the thresholds and the listener. */
  static Builder builder(ConversionStats stats) {
    return new Builder(stats);
  }

  /** Reads the statistics now, raises and clears alarms. Never throws for a listener's failure. */
  void check();

  /** The countries in alarm now, as raised (most recent check's view); immutable. */
  List<AlarmEvent> active();

  /** How many past episodes {@link #episodes()} keeps: 32. */
  int EPISODES_KEPT = 32;

  /**
   * The recent alarms, raised and cleared, oldest first (preview): at most {@link #EPISODES_KEPT}
   * ended ones plus every one that lasts; immutable. Without a record, none.
   */
  default List<AlarmEpisode> episodes() {
    return List.of();
  }

  /** Builds a {@link PumpingAlarm}. Not thread-safe. */
  final class Builder {

    /** Default minimum outcomes (or sends) in the recent window before judging: 20. Range [5, 10^6]. */
    public static final int DEFAULT_MIN_SAMPLE = 20;

    /** Default fraction of the baseline below which the recent rate's upper bound alarms: 0.5. */
    public static final double DEFAULT_DROP_FRACTION = 0.5;

    /** Default jump of the send rate over its recent average: 5. Range (1, 1000]. */
    public static final double DEFAULT_SURGE_FACTOR = 5.0;

    /** Default decided outcomes needed for a country's own baseline: 50. Range [1, 10^6]. */
    public static final int DEFAULT_MIN_BASELINE = 50;

    /** Default conversion assumed with no baseline at all: 0.6. Range (0, 1]. */
    public static final double DEFAULT_ASSUMED_CONVERSION = 0.6;

    /** Default calm time before an alarm clears: 10 min. Range [1m, 24h]. */
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofMinutes(10);

    private final ConversionStats stats;
    private AlarmListener listener = AlarmListener.NOOP;
    private int minSample = DEFAULT_MIN_SAMPLE;
    private double dropFraction = DEFAULT_DROP_FRACTION;
    private double surgeFactor = DEFAULT_SURGE_FACTOR;
    private int minBaseline = DEFAULT_MIN_BASELINE;
    private double assumedConversion = DEFAULT_ASSUMED_CONVERSION;
    private Duration clearAfter = DEFAULT_CLEAR_AFTER;

    private Builder(ConversionStats stats) {
      this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Told of every alarm raised and cleared. Default: {@link AlarmListener#NOOP}. */
    public Builder listener(AlarmListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** See {@link #DEFAULT_MIN_SAMPLE}. */
    public Builder minSample(int minSample) {
      if (minSample < 5 || minSample > 1_000_000) {
        throw new IllegalArgumentException("minSample must be in [5, 1000000]: " + minSample);
      }
      this.minSample = minSample;
      return this;
    }

    /** Range (0, 1); see {@link #DEFAULT_DROP_FRACTION}. */
    public Builder dropFraction(double dropFraction) {
      if (!(dropFraction > 0 && dropFraction < 1)) {
        throw new IllegalArgumentException("dropFraction must be in (0, 1): " + dropFraction);
      }
      this.dropFraction = dropFraction;
      return this;
    }

    /** See {@link #DEFAULT_SURGE_FACTOR}. */
    public Builder surgeFactor(double surgeFactor) {
      if (!(surgeFactor > 1 && surgeFactor <= 1000)) {
        throw new IllegalArgumentException("surgeFactor must be in (1, 1000]: " + surgeFactor);
      }
      this.surgeFactor = surgeFactor;
      return this;
    }

    /** See {@link #DEFAULT_MIN_BASELINE}. */
    public Builder minBaseline(int minBaseline) {
      if (minBaseline < 1 || minBaseline > 1_000_000) {
        throw new IllegalArgumentException("minBaseline must be in [1, 1000000]: " + minBaseline);
      }
      this.minBaseline = minBaseline;
      return this;
    }

    /** See {@link #DEFAULT_ASSUMED_CONVERSION}. */
    public Builder assumedConversion(double assumedConversion) {
      if (!(assumedConversion > 0 && assumedConversion <= 1)) {
        throw new IllegalArgumentException(
            "assumedConversion must be in (0, 1]: " + assumedConversion);
      }
      this.assumedConversion = assumedConversion;
      return this;
    }

    /** See {@link #DEFAULT_CLEAR_AFTER}. */
    public Builder clearAfter(Duration clearAfter) {
      Objects.requireNonNull(clearAfter, "clearAfter");
      if (clearAfter.compareTo(Duration.ofMinutes(1)) < 0
          || clearAfter.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("clearAfter must be in [1m, 24h]: " + clearAfter);
      }
      this.clearAfter = clearAfter;
      return this;
    }

    public PumpingAlarm build() {
      return new DefaultPumpingAlarm(
          stats,
          listener,
          minSample,
          dropFraction,
          surgeFactor,
          minBaseline,
          assumedConversion,
          clearAfter);
    }
  }
}
