package io.smsfeedback.servlet.internal;

import static io.smsfeedback.servlet.internal.Decision.NOT_JUDGED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictRulesTest {

  static final Pattern ERROR = Pattern.compile("[?&]error");

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
        "400, null, WRONG_CODE",
        "401, null, WRONG_CODE",
        "499, null, WRONG_CODE",
        "500, null, NO_VERDICT",
        "503, null, NO_VERDICT",
        "100, null, NO_VERDICT",
        "0, null, NO_VERDICT"
      })
  void httpRules_onVerificationRequests(int status, String location, Decision expected) {
    assertThat(VerdictRules.decide(null, null, true, status, location, ERROR)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"200", "401", "302"})
  void httpRules_notAppliedOutsideVerificationRequests(int status) {
    assertThat(VerdictRules.decide(null, null, false, status, "/x", ERROR)).isEqualTo(NOT_JUDGED);
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
    assertThat(VerdictRules.decide(marker, bridge, true, status, null, ERROR)).isEqualTo(expected);
    // Marker and bridge also decide outside the verification paths.
    assertThat(VerdictRules.decide(marker, bridge, false, status, null, ERROR)).isEqualTo(expected);
  }
}
