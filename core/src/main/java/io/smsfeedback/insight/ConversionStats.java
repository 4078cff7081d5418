package io.smsfeedback.insight;

import io.smsfeedback.ConversionListener;
import io.smsfeedback.SentSms;
import io.smsfeedback.internal.insight.DefaultConversionStats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The app's own conversion statistics (preview): sends and decided outcomes per destination country
 * calling code and in total, over sliding windows of {@link #WINDOWS}. Fed only by a {@link
 * io.smsfeedback.ConversionTracker}'s decisions: pass it to the tracker's builder as its {@link
 * ConversionListener}.
 *
 * <p><b>Where the country comes from.</b> The tracker knows a umid, not a phone number. Tell the
 * statistics the destination of each send with {@link #destination(SentSms)} (what {@link
 * io.smsfeedback.SmsSender} returns) or {@link #destination(UUID, String)} before or when the
 * tracker sees the send; it is kept, keyed by umid, until the umid's outcome is decided (at most
 * {@code maxPendingDestinations} at once, and at most {@link #DESTINATION_MAX_AGE}). Sends and
 * outcomes of a umid without a noted destination count under {@link #UNKNOWN}; calling codes beyond
 * {@code maxCountries} under {@link #OTHER}. RATIONALE.md says why a side map and not a field of
 * {@link io.smsfeedback.SentOtp}.
 *
 * <p><b>Windows.</b> Each window is a ring of fixed buckets (5 min: 10 of 30 s; 1 h: 12 of 5 min;
 * 24 h: 24 of 1 h); a window holds the bucket now filling and the ones before it, so it reaches
 * back between {@code length - bucket} and {@code length}. An event is counted in the bucket of the
 * statistics' clock when it is recorded. Time to verify (send to success) goes into a fixed
 * histogram per bucket (bins from 1 s to 15 min); p50 and p95 are the upper bounds of their bins.
 *
 * <p><b>Memory and cost.</b> Bounded whatever the traffic: {@code maxCountries + 3} rows (with
 * total, unknown, other) of fixed buckets, plus the side map of noted destinations. Recording is a
 * map lookup and a few atomic increments; a bucket is cleared under a short lock once per bucket
 * length. Counts are exact except that an event racing the clearing of its slot one full window
 * later may land in the newer bucket.
 *
 * <p><b>Threading.</b> Thread-safe; never blocks on I/O; never throws for bad input (a calling code
 * that is not 1 to 3 digits is {@link #UNKNOWN}); only null arguments throw.
 */
public interface ConversionStats extends ConversionListener {

  /** The name of the row of every country together. */
  String TOTAL = "total";

  /** The name of the row of sends whose destination was not noted. */
  String UNKNOWN = "unknown";

  /** The name of the row of calling codes beyond {@code maxCountries}. */
  String OTHER = "other";

  /** The windows' lengths, shortest first. */
  List<Duration> WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(24));

  /** How long a noted destination waits for its umid's outcome at most: 1 h. */
  Duration DESTINATION_MAX_AGE = Duration.ofHours(1);

  /** Statistics with the system clock and the default bounds. */
  static ConversionStats create() {
    return builder().build();
  }

  /** A builder to set the clock and the bounds. */
  static Builder builder() {
    return new Builder();
  }

  /** Notes the destination country of a send that {@link io.smsfeedback.SmsSender} made. */
  default void destination(SentSms sent) {
    destination(sent.umid(), sent.callingCode());
  }

  /**
   * Notes that {@code umid} was sent to a number with country calling code {@code callingCode}
   * (digits without {@code +}, e.g. {@code "65"}).
   */
  void destination(UUID umid, String callingCode);

  /** The statistics now: immutable, one entry per window. */
  ConversionSnapshot snapshot();

  /**
   * Counts since these statistics were made, for monotonic counters (Micrometer, Prometheus's
   * {@code rate()}): {@link #TOTAL} first, then every row with counts; no times to verify. Bounded
   * like the rows. An implementation without them returns an empty list.
   */
  default List<CountryStats> sinceStart() {
    return List.of();
  }

  /**
   * One window bucket by bucket, for a plot (preview): {@code window} is one of {@link #WINDOWS}.
   * Read from the same buckets as {@link #snapshot()}; costs one array per row per call, nothing
   * per event. An implementation without buckets returns no rows.
   *
   * @throws IllegalArgumentException if {@code window} is not one of {@link #WINDOWS}
   */
  default ConversionSeries series(Duration window) {
    if (!WINDOWS.contains(window)) {
      throw new IllegalArgumentException("window must be one of " + WINDOWS + ": " + window);
    }
    return new ConversionSeries(window, window, List.of(), List.of());
  }

  /** Builds {@link ConversionStats}. Not thread-safe. */
  final class Builder {

    /** Default number of calling codes counted on their own: 64. Range [1, 300]. */
    public static final int DEFAULT_MAX_COUNTRIES = 64;

    /** Default number of noted destinations waiting for an outcome: 100 000. Range [1, 10^7]. */
    public static final int DEFAULT_MAX_PENDING_DESTINATIONS = 100_000;

    private Clock clock = Clock.systemUTC();
    private int maxCountries = DEFAULT_MAX_COUNTRIES;
    private int maxPendingDestinations = DEFAULT_MAX_PENDING_DESTINATIONS;

    private Builder() {}

    /** The time source for buckets. Default: the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How many calling codes get their own row; the rest count as {@link #OTHER}. Range [1, 300];
     * default {@link #DEFAULT_MAX_COUNTRIES}.
     */
    public Builder maxCountries(int maxCountries) {
      if (maxCountries < 1 || maxCountries > 300) {
        throw new IllegalArgumentException("maxCountries must be in [1, 300]: " + maxCountries);
      }
      this.maxCountries = maxCountries;
      return this;
    }

    /**
     * How many noted destinations may wait for their umid's outcome; beyond it a send counts as
     * {@link #UNKNOWN}. Range [1, 10000000]; default {@link #DEFAULT_MAX_PENDING_DESTINATIONS}.
     */
    public Builder maxPendingDestinations(int maxPendingDestinations) {
      if (maxPendingDestinations < 1 || maxPendingDestinations > 10_000_000) {
        throw new IllegalArgumentException(
            "maxPendingDestinations must be in [1, 10000000]: " + maxPendingDestinations);
      }
      this.maxPendingDestinations = maxPendingDestinations;
      return this;
    }

    public ConversionStats build() {
      return new DefaultConversionStats(clock, maxCountries, maxPendingDestinations);
    }
  }
}
