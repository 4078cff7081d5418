package io.smsfeedback.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of every {@code sms.feedback.*} property: {@code 500ms}, {@code 10s}, {@code
 * 15m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT10S}); a bare number is refused.
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("^(\\d{1,12})\\s*(ms|s|m|h|d)$");

  private Durations() {}

  /**
   * Parses {@code value}.
   *
   * @throws IllegalArgumentException if it is neither form (a bare number is refused: give a unit)
   */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (v.startsWith("p") || v.startsWith("-p")) {
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException(
        "expected a duration such as 500ms, 10s, 15m, 1h or ISO-8601 (PT10S)");
  }

  /** Formats a duration in the shortest of our units that represents it exactly. */
  public static String format(Duration d) {
    long ms;
    try {
      ms = d.toMillis();
    } catch (ArithmeticException e) {
      return d.getSeconds() + "s"; // beyond what milliseconds can hold
    }
    if (ms % 86_400_000 == 0 && ms != 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
