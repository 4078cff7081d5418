package io.smsfeedback.servlet.internal;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rows 1 to 3 of the decision table (module README; row 0, a send, is decided before): the app's
 * explicit marker, then a framework bridge's verdict, then (on verification requests only) the HTTP
 * status: 2xx, or 3xx whose {@code Location} does not match the failure pattern, is success; a 3xx
 * whose {@code Location} matches it, or one of the configured failure statuses, is a wrong code;
 * anything else (another 4xx, 5xx, 1xx, a 3xx without {@code Location}) is no verdict.
 */
final class VerdictRules {

  private VerdictRules() {}

  public static Decision decide(
      @Nullable Verdict marker,
      @Nullable Verdict bridge,
      boolean verificationRequest,
      int status,
      @Nullable String location,
      Pattern failureLocation,
      Set<Integer> failureStatuses) {
    Decision explicit = explicit(marker, bridge);
    if (explicit != null) {
      return explicit;
    }
    if (!verificationRequest) {
      return Decision.NOT_JUDGED;
    }
    return byStatus(status, location, failureLocation, failureStatuses);
  }

  /** Rows 1 and 2: the app's marker, else the bridge's verdict; null if neither was given. */
  public static @Nullable Decision explicit(@Nullable Verdict marker, @Nullable Verdict bridge) {
    if (marker != null) {
      return of(marker);
    }
    return bridge != null ? of(bridge) : null;
  }

  static Decision byStatus(
      int status, @Nullable String location, Pattern failureLocation, Set<Integer> failureStatuses) {
    if (status >= 200 && status < 300) {
      return Decision.SUCCESS;
    }
    if (status >= 300 && status < 400) {
      if (location == null || location.isEmpty()) {
        return Decision.NO_VERDICT;
      }
      return failureLocation.matcher(location).find() ? Decision.WRONG_CODE : Decision.SUCCESS;
    }
    if (failureStatuses.contains(status)) {
      return Decision.WRONG_CODE;
    }
    return Decision.NO_VERDICT;
  }

  private static Decision of(Verdict v) {
    return v == Verdict.VERIFIED ? Decision.SUCCESS : Decision.WRONG_CODE;
  }
}
