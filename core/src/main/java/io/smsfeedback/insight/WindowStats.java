package io.smsfeedback.insight;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One sliding window's counts: in total and per country.
 *
 * @param length how far back the window reaches (its last bucket is the one now filling)
 * @param total every country together
 * @param countries one entry per calling code seen in the window (with {@link
 *     ConversionStats#UNKNOWN} and {@link ConversionStats#OTHER} when they have counts), most sent
 *     first
 */
public record WindowStats(Duration length, CountryStats total, List<CountryStats> countries) {

  public WindowStats {
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(total, "total");
    countries = List.copyOf(countries);
  }

  /** The entry for {@code callingCode}, or an all-zero one if it has no counts in this window. */
  public CountryStats country(String callingCode) {
    for (CountryStats c : countries) {
      if (c.callingCode().equals(callingCode)) {
        return c;
      }
    }
    return new CountryStats(callingCode, 0, 0, 0, 0, 0, null, null);
  }
}
