package io.smsfeedback;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An OTP SMS that was sent through 8x8: the subaccount it was sent from, the {@code umid} 8x8
 * returned, and when it was sent. Validated on creation, so an instance is always reportable.
 *
 * <p>Small and {@link Serializable} so that it can live in an HTTP session (also a replicated or
 * Spring Session one).
 *
 * @param subAccountId the 8x8 subaccount, matching {@code ^[A-Za-z0-9\-._&]{3,50}$}
 * @param umid the message id 8x8 returned for the send
 * @param sentAt when the SMS was sent; the 15-minute feedback window starts here
 */
public record SentOtp(String subAccountId, UUID umid, Instant sentAt) implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** 8x8's rule for subaccount ids. */
  public static final Pattern SUB_ACCOUNT_ID = Pattern.compile("^[A-Za-z0-9\\-._&]{3,50}$");

  public SentOtp {
    Objects.requireNonNull(subAccountId, "subAccountId");
    Objects.requireNonNull(umid, "umid");
    Objects.requireNonNull(sentAt, "sentAt");
    requireValidSubAccountId(subAccountId);
  }

  /**
   * Creates a record from a umid in text form, as 8x8's send response carries it.
   *
   * @throws IllegalArgumentException if {@code umid} is not a UUID or the subaccount is invalid
   */
  public static SentOtp of(String subAccountId, String umid, Instant sentAt) {
    return new SentOtp(subAccountId, parseUmid(umid), sentAt);
  }

  /**
   * Parses a umid strictly: only the canonical 36-character UUID form is accepted.
   *
   * @throws IllegalArgumentException with a message quoting (a bounded prefix of) the value
   */
  public static UUID parseUmid(String umid) {
    Objects.requireNonNull(umid, "umid");
    if (umid.length() != 36) {
      throw new IllegalArgumentException("umid must be a UUID: " + quote(umid));
    }
    try {
      return UUID.fromString(umid);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("umid must be a UUID: " + quote(umid), e);
    }
  }

  /**
   * Checks a subaccount id against 8x8's pattern.
   *
   * @throws IllegalArgumentException naming the rule and quoting (a bounded prefix of) the value
   */
  public static String requireValidSubAccountId(String subAccountId) {
    if (!isValidSubAccountId(subAccountId)) {
      throw new IllegalArgumentException(
          "subAccountId must match " + SUB_ACCOUNT_ID.pattern() + ": " + quote(subAccountId));
    }
    return subAccountId;
  }

  /**
   * {@link #SUB_ACCOUNT_ID} without a regex: a record is made on every verification request, and a
   * {@code Matcher} per record was most of the filter's cost on that path.
   */
  private static boolean isValidSubAccountId(String s) {
    int n = s.length();
    if (n < 3 || n > 50) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '&')) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String value) {
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
  }
}
