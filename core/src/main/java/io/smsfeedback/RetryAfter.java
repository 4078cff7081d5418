package io.smsfeedback;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Behind {@link
 * TransportResult#parseRetryAfter}, which every transport (ours included) calls.
 */
final class RetryAfter {

  private static final int MAX_LENGTH = 64;
  private static final long MAX_SECONDS = 365L * 24 * 3600;

  private static final List<DateTimeFormatter> DATES =
      List.of(
          // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
          DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US),
          // obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
          DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US),
          // obsolete asctime: Sun Nov  6 08:49:37 1994
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

  private RetryAfter() {}

  /**
   * @return the delay ({@link Duration#ZERO} for a date in the past), or null if {@code value} is
   *     absent or malformed
   */
  static @Nullable Duration parse(@Nullable String value, Instant now) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty() || v.length() > MAX_LENGTH) {
      return null;
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (v.length() > 12) {
        return Duration.ofSeconds(MAX_SECONDS);
      }
      return Duration.ofSeconds(Math.min(Long.parseLong(v), MAX_SECONDS));
    }
    for (DateTimeFormatter f : DATES) {
      try {
        Instant at = LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC);
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return null;
  }
}
