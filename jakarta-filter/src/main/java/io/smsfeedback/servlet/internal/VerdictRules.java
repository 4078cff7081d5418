package io.smsfeedback.servlet.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN §7, in order: the app's explicit marker, then a framework bridge's verdict, then (on
 * verification requests only) the HTTP status: 2xx, or 3xx whose {@code Location} does not match
 * the failure pattern, is success; a 3xx whose {@code Location} matches it, or a 4xx, is a wrong
 * code; anything else (5xx, 1xx, a 3xx without {@code Location}) is no verdict.
 */
public final class VerdictRules {

  private VerdictRules() {}

  public static Decision decide(
      @Nullable Verdict marker,
      @Nullable Verdict bridge,
      boolean verificationRequest,
      int status,
      @Nullable String location,
      Pattern failureLocation) {
    if (marker != null) {
      return of(marker);
    }
    if (bridge != null) {
      return of(bridge);
    }
    if (!verificationRequest) {
      return Decision.NOT_JUDGED;
    }
    return byStatus(status, location, failureLocation);
  }

  static Decision byStatus(int status, @Nullable String location, Pattern failureLocation) {
    if (status >= 200 && status < 300) {
      return Decision.SUCCESS;
    }
    if (status >= 300 && status < 400) {
      if (location == null || location.isEmpty()) {
        return Decision.NO_VERDICT;
      }
      return failureLocation.matcher(location).find() ? Decision.WRONG_CODE : Decision.SUCCESS;
    }
    if (status >= 400 && status < 500) {
      return Decision.WRONG_CODE;
    }
    return Decision.NO_VERDICT;
  }

  private static Decision of(Verdict v) {
    return v == Verdict.VERIFIED ? Decision.SUCCESS : Decision.WRONG_CODE;
  }
}
