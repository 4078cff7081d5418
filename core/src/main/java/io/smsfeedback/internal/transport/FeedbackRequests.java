package io.smsfeedback.internal.transport;

import io.smsfeedback.Feedback;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Builds the exact 8x8 feedback request: its URI and its JSON body. */
public final class FeedbackRequests {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FeedbackRequests() {}

  /** {@code {base}/api/v1/subaccounts/{subAccountId}/messages/{umid}/feedback}, segments encoded. */
  public static URI uri(URI baseUrl, Feedback feedback) {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base
            + "/api/v1/subaccounts/"
            + encodePathSegment(feedback.otp().subAccountId())
            + "/messages/"
            + encodePathSegment(feedback.umid().toString())
            + "/feedback");
  }

  /** {@code {"outcome":"success","timestamp":"2026-01-01T00:00:05.123Z"}}. */
  public static String body(Feedback feedback) {
    return "{\"outcome\":"
        + quote(feedback.outcome().wireValue())
        + ",\"timestamp\":"
        + quote(timestamp(feedback.actedAt()))
        + '}';
  }

  /** UTC ISO-8601 with exactly three fraction digits and {@code Z}: {@code 2026-01-01T00:00:05.123Z}. */
  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Percent-encodes a path segment (RFC 3986): unreserved characters and the sub-delimiters
   * {@code !$&'()*+,;=} plus {@code :@} stay, everything else becomes UTF-8 {@code %XX}; {@code .}
   * and {@code ..} are encoded so that they cannot act as dot-segments.
   */
  public static String encodePathSegment(String segment) {
    if (segment.equals(".") || segment.equals("..")) {
      return segment.replace(".", "%2E");
    }
    StringBuilder sb = new StringBuilder(segment.length());
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /** A JSON string literal, escaped per RFC 8259. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
