package io.smsfeedback.spring.internal.ott;

import io.smsfeedback.spring.SmsFeedbackProperties;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated {@code sms.feedback.ott.*} settings. Invalid values fail the start with a message
 * naming the property and quoting the value.
 */
public record OttSettings(
    int codeLength,
    Duration expiry,
    int maxAttempts,
    int maxCodes,
    String message,
    String codePage,
    String sendFailureUrl) {

  static final String PREFIX = "sms.feedback.ott.";

  /** Digits of a code by default (4 to 10). */
  public static final int DEFAULT_CODE_LENGTH = 6;

  /** How long a code can be used by default (10s to 15m). */
  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);

  /** Wrong codes that end a code by default (1 to 100). */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Codes held at once by default (1 to 10,000,000). */
  public static final int DEFAULT_MAX_CODES = 100_000;

  /** SMS text by default. */
  public static final String DEFAULT_MESSAGE = "Your code is {code}";

  /** Spring Security's default page where the code is typed in. */
  public static final String DEFAULT_CODE_PAGE = "/login/ott";

  /** Where a failed send sends the browser by default. */
  public static final String DEFAULT_SEND_FAILURE_URL = "/login?sms-failed";

  /** The placeholder the message must contain. */
  public static final String CODE = "{code}";

  public OttSettings {
    between("code-length", codeLength, 4, 10);
    Objects.requireNonNull(expiry, PREFIX + "expiry");
    if (expiry.compareTo(Duration.ofSeconds(10)) < 0 || expiry.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException(
          PREFIX + "expiry must be between 10s and 15m: " + expiry);
    }
    between("max-attempts", maxAttempts, 1, 100);
    between("max-codes", maxCodes, 1, 10_000_000);
    Objects.requireNonNull(message, PREFIX + "message");
    if (!message.contains(CODE)) {
      throw new IllegalArgumentException(
          PREFIX + "message must contain " + CODE + ": '" + message + "'");
    }
    path("code-page", codePage);
    path("send-failure-url", sendFailureUrl);
  }

  public static OttSettings from(SmsFeedbackProperties.Ott ott) {
    return new OttSettings(
        ott.getCodeLength(),
        ott.getExpiry(),
        ott.getMaxAttempts(),
        ott.getMaxCodes(),
        ott.getMessage(),
        ott.getCodePage(),
        ott.getSendFailureUrl());
  }

  /** The SMS text for {@code code}. */
  public String text(String code) {
    return message.replace(CODE, code);
  }

  private static void between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be between " + min + " and " + max + ": " + value);
    }
  }

  /** An application path: redirects stay on this site. */
  private static void path(String name, String value) {
    Objects.requireNonNull(value, PREFIX + name);
    if (!value.startsWith("/") || value.startsWith("//")) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be a path of this application starting with one '/': '" + value + "'");
    }
  }
}
