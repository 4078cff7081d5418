package io.smsfeedback.servlet.internal;

import static io.smsfeedback.servlet.internal.Decision.NOT_JUDGED;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.FilterSettings;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictRulesTest {

  static final Pattern ERROR = Pattern.compile("[?&]error");
  static final Set<Integer> STATUSES = FilterSettings.DEFAULT_FAILURE_STATUSES;

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "200, null, SUCCESS",
        "204, null, SUCCESS",
        "299, null, SUCCESS",
        "302, /home, SUCCESS",
        "303, https://app.example/welcome?x=1, SUCCESS",
        "302, /login?error, WRONG_CODE",
        "302, /otp?code=1&error=bad, WRONG_CODE",
        "302, /errors/page, SUCCESS",
        "302, null, NO_VERDICT",
        "304, null, NO_VERDICT",
        "401, null, WRONG_CODE",
        "422, null, WRONG_CODE",
        "400, null, NO_VERDICT",
        "403, null, NO_VERDICT",
        "404, null, NO_VERDICT",
        "405, null, NO_VERDICT",
        "413, null, NO_VERDICT",
        "415, null, NO_VERDICT",
        "429, null, NO_VERDICT",
        "499, null, NO_VERDICT",
        "500, null, NO_VERDICT",
        "503, null, NO_VERDICT",
        "100, null, NO_VERDICT",
        "0, null, NO_VERDICT"
      })
  void httpRules_onVerificationRequests(int status, String location, Decision expected) {
    assertThat(VerdictRules.decide(null, null, true, status, location, ERROR, STATUSES)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "failure-statuses=400,403: {0} -> {1}")
  @CsvSource({"400, WRONG_CODE", "403, WRONG_CODE", "401, NO_VERDICT", "422, NO_VERDICT"})
  void httpRules_onlyTheConfiguredStatusesAreWrongCodes(int status, Decision expected) {
    assertThat(VerdictRules.decide(null, null, true, status, null, ERROR, Set.of(400, 403)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"200", "401", "302"})
  void httpRules_notAppliedOutsideVerificationRequests(int status) {
    assertThat(VerdictRules.decide(null, null, false, status, "/x", ERROR, STATUSES)).isEqualTo(NOT_JUDGED);
  }

  @ParameterizedTest(name = "marker={0} bridge={1} status={2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "VERIFIED, REJECTED, 401, SUCCESS",
        "REJECTED, VERIFIED, 200, WRONG_CODE",
        "REJECTED, null, 200, WRONG_CODE",
        "null, VERIFIED, 401, SUCCESS",
        "null, REJECTED, 200, WRONG_CODE",
        "null, VERIFIED, 500, SUCCESS",
        "VERIFIED, null, 500, SUCCESS"
      })
  void verdict_markerBeatsBridgeBeatsStatus(
      Verdict marker, Verdict bridge, int status, Decision expected) {
    assertThat(VerdictRules.decide(marker, bridge, true, status, null, ERROR, STATUSES)).isEqualTo(expected);
    // Marker and bridge also decide outside the verification paths.
    assertThat(VerdictRules.decide(marker, bridge, false, status, null, ERROR, STATUSES)).isEqualTo(expected);
  }
}
