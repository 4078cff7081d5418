package io.smsfeedback.samples.servlet;

import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/** The app's own one-time codes, kept in the session: 6 digits, 5 minutes, 5 tries. */
final class OtpCodes {

  static final Duration LIFETIME = Duration.ofMinutes(5);
  static final int MAX_TRIES = 5;

  private static final String CODE = "sample.otp.code";
  private static final String EXPIRES = "sample.otp.expires";
  private static final String TRIES = "sample.otp.tries";
  private static final SecureRandom RANDOM = new SecureRandom();

  enum Check {
    RIGHT,
    WRONG,
    NONE
  }

  private OtpCodes() {}

  /** Makes a new code for this session, replacing any previous one. */
  static String issue(HttpSession session) {
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));
    session.setAttribute(CODE, code);
    session.setAttribute(EXPIRES, Instant.now().plus(LIFETIME));
    session.setAttribute(TRIES, 0);
    return code;
  }

  /** Checks a typed code; a right one is used up, a wrong one costs a try. */
  static Check check(HttpSession session, String typed) {
    String code = (String) session.getAttribute(CODE);
    Instant expires = (Instant) session.getAttribute(EXPIRES);
    if (code == null || expires == null || Instant.now().isAfter(expires)) {
      clear(session);
      return Check.NONE;
    }
    boolean right =
        MessageDigest.isEqual(
            code.getBytes(StandardCharsets.US_ASCII),
            typed.trim().getBytes(StandardCharsets.US_ASCII));
    if (right) {
      clear(session);
      return Check.RIGHT;
    }
    int tries = (Integer) session.getAttribute(TRIES) + 1;
    if (tries >= MAX_TRIES) {
      clear(session);
    } else {
      session.setAttribute(TRIES, tries);
    }
    return Check.WRONG;
  }

  static void clear(HttpSession session) {
    session.removeAttribute(CODE);
    session.removeAttribute(EXPIRES);
    session.removeAttribute(TRIES);
  }
}
