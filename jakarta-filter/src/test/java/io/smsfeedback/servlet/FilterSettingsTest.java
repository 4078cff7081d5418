package io.smsfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterSettingsTest {

  @Test
  void defaults() {
    FilterSettings s =
        FilterSettings.fromProperties(Map.of("sms.feedback.sub-account-id", "sub-1"));
    assertThat(s.enabled()).isTrue();
    assertThat(s.autoRegister()).isTrue();
    assertThat(s.sessionAttribute()).isEqualTo("io.smsfeedback.UMID");
    assertThat(s.subAccountId()).isEqualTo("sub-1");
    assertThat(s.verificationPaths()).isEmpty();
    assertThat(s.verificationMethods()).isEqualTo(Set.of("POST", "PUT", "PATCH"));
    assertThat(s.failureLocation().pattern()).isEqualTo("[?&]error");
    assertThat(s.failureStatuses()).containsExactly(401, 422);
    assertThat(s.isVerificationRequest("POST", "/verify")).isFalse();
  }

  @Test
  void fromProperties_readsEveryKey() {
    FilterSettings s =
        FilterSettings.fromProperties(
            Map.of(
                "sms.feedback.sub-account-id", "sub-1",
                "sms.feedback.enabled", "TRUE",
                "sms.feedback.servlet.auto-register", "false",
                "sms.feedback.session-attribute", "otp.umid",
                "sms.feedback.verification.paths", " /login/otp , /api/otp/* ",
                "sms.feedback.verification.methods", "post,put",
                "sms.feedback.verification.failure-location", "[?&]failed",
                "sms.feedback.verification.failure-statuses", " 400, 401 "));
    assertThat(s.autoRegister()).isFalse();
    assertThat(s.sessionAttribute()).isEqualTo("otp.umid");
    assertThat(s.verificationPaths()).containsExactly("/login/otp", "/api/otp/*");
    assertThat(s.verificationMethods()).containsExactlyInAnyOrder("POST", "PUT");
    assertThat(s.failureLocation().pattern()).isEqualTo("[?&]failed");
    assertThat(s.failureStatuses()).containsExactly(400, 401);
  }

  @Test
  void paths_exactAndPrefix() {
    FilterSettings s =
        FilterSettings.builder()
            .subAccountId("sub-1")
            .verificationPaths("/login/otp", "/api/otp/*")
            .build();
    assertThat(s.isVerificationPath("/login/otp")).isTrue();
    assertThat(s.isVerificationPath("/login/otp/x")).isFalse();
    assertThat(s.isVerificationPath("/login/otpx")).isFalse();
    assertThat(s.isVerificationPath("/api/otp")).isTrue();
    assertThat(s.isVerificationPath("/api/otp/verify")).isTrue();
    assertThat(s.isVerificationPath("/api/otpx")).isFalse();
    assertThat(s.isVerificationPath("/")).isFalse();
    assertThat(s.isVerificationRequest("post", "/login/otp")).isTrue();
    assertThat(s.isVerificationRequest("GET", "/login/otp")).isFalse();

    FilterSettings all =
        FilterSettings.builder().subAccountId("sub-1").verificationPaths("/*").build();
    assertThat(all.isVerificationPath("/anything/at/all")).isTrue();
  }

  @Test
  void invalidValues_nameTheProperty() {
    assertInvalid(
        Map.of("sms.feedback.enabled", "yes"), "sms.feedback.enabled must be true or false");
    assertInvalid(
        Map.of("sms.feedback.servlet.auto-register", "0"), "sms.feedback.servlet.auto-register");
    assertInvalid(
        Map.of("sms.feedback.verification.paths", "login"), "sms.feedback.verification.paths");
    assertInvalid(
        Map.of("sms.feedback.verification.paths", "/a/*/b"), "sms.feedback.verification.paths");
    assertInvalid(
        Map.of("sms.feedback.verification.paths", "/a*"), "sms.feedback.verification.paths");
    assertInvalid(
        Map.of("sms.feedback.verification.methods", "P OST"), "sms.feedback.verification.methods");
    assertInvalid(
        Map.of("sms.feedback.verification.failure-location", "[error"),
        "sms.feedback.verification.failure-location");
    assertInvalid(
        Map.of("sms.feedback.verification.failure-statuses", "401,x"),
        "sms.feedback.verification.failure-statuses entries must be HTTP status codes 400-499: \"x\"");
    assertInvalid(
        Map.of("sms.feedback.verification.failure-statuses", "500"),
        "sms.feedback.verification.failure-statuses entries must be HTTP status codes 400-499: \"500\"");
    assertInvalid(
        Map.of("sms.feedback.session-attribute", "a b"), "sms.feedback.session-attribute");
    assertInvalid(
        Map.of("sms.feedback.sub-account-id", "x"), "sms.feedback.sub-account-id must match");
  }

  @Test
  void subAccount_requiredOnlyWhenEnabled() {
    assertThatThrownBy(() -> FilterSettings.fromProperties(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sms.feedback.sub-account-id must be set");
    FilterSettings off = FilterSettings.fromProperties(Map.of("sms.feedback.enabled", "false"));
    assertThat(off.enabled()).isFalse();
    assertThat(off.subAccountId()).isNull();
  }

  @Test
  void keys_listTheCoreAndFilterKeys() {
    assertThat(FilterSettings.ALL_PROPERTY_KEYS)
        .contains("sms.feedback.api-key", "sms.feedback.abandon-after")
        .containsAll(FilterSettings.PROPERTY_KEYS)
        .doesNotHaveDuplicates();
  }

  private static void assertInvalid(Map<String, String> props, String message) {
    Map<String, String> all = new java.util.HashMap<>(props);
    all.putIfAbsent("sms.feedback.sub-account-id", "sub-1");
    assertThatThrownBy(() -> FilterSettings.fromProperties(all))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
