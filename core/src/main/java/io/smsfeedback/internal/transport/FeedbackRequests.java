package io.smsfeedback.internal.transport;

import io.smsfeedback.Feedback;
import io.smsfeedback.Outcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;

/** Builds the exact 8x8 feedback request: its URI and its JSON body. */
public final class FeedbackRequests {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** {@code {"outcome":"success","timestamp":"} for each outcome, by ordinal. */
  private static final byte[][] BODY_PREFIX =
      Arrays.stream(Outcome.values())
          .map(o -> ("{\"outcome\":" + quote(o.wireValue()) + ",\"timestamp\":\"")
              .getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);

  private FeedbackRequests() {}

  /** {@code {base}/api/v1/subaccounts/{subAccountId}/messages/{umid}/feedback}, segments encoded. */
  public static URI uri(URI baseUrl, Feedback feedback) {
    return URI.create(
        baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path(basePath(baseUrl), feedback));
  }

  /** The base URL's raw path without trailing slashes: {@code ""} or {@code /proxy}. */
  public static String basePath(URI baseUrl) {
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  /**
   * The request target (raw path): {@code {basePath}/api/v1/subaccounts/{subAccountId}/messages/
   * {umid}/feedback}, the subaccount percent-encoded.
   */
  public static String path(String basePath, Feedback feedback) {
    return path(basePath, encodePathSegment(feedback.otp().subAccountId()), feedback.umid());
  }

  /** {@link #path(String, Feedback)} with the subaccount already encoded. */
  static String path(String basePath, String encodedSubAccountId, UUID umid) {
    return basePath + "/api/v1/subaccounts/" + encodedSubAccountId + "/messages/" + umid + "/feedback";
  }

  /** {@code {"outcome":"success","timestamp":"2026-01-01T00:00:05.123Z"}}. */
  public static String body(Feedback feedback) {
    return new String(bodyBytes(feedback), StandardCharsets.UTF_8);
  }

  /** {@link #body} as UTF-8 bytes, made without the intermediate strings. */
  public static byte[] bodyBytes(Feedback feedback) {
    byte[] prefix = BODY_PREFIX[feedback.outcome().ordinal()];
    String at = timestamp(feedback.actedAt()); // digits, '-', ':', '.', 'T', 'Z', '+': ASCII only
    byte[] body = new byte[prefix.length + at.length() + 2];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    for (int i = 0; i < at.length(); i++) {
      body[prefix.length + i] = (byte) at.charAt(i);
    }
    body[body.length - 2] = '"';
    body[body.length - 1] = '}';
    return body;
  }

  /**
   * UTC ISO-8601 with exactly three fraction digits and {@code Z}: {@code 2026-01-01T00:00:05.123Z}
   * (finer precision is truncated). Years outside 0000-9999 take the formatter's form ({@code
   * +10000-...}).
   */
  public static String timestamp(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
    char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(c, 0, 4, year);
    digits(c, 5, 2, t.getMonthValue());
    digits(c, 8, 2, t.getDayOfMonth());
    digits(c, 11, 2, t.getHour());
    digits(c, 14, 2, t.getMinute());
    digits(c, 17, 2, t.getSecond());
    digits(c, 20, 3, instant.getNano() / 1_000_000);
    return new String(c);
  }

  private static void digits(char[] into, int at, int width, int value) {
    int v = value;
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + v % 10);
      v /= 10;
    }
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
