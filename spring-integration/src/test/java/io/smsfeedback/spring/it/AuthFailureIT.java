package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.app.OtpApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** By default a refused key shows in health's details and health stays UP. */
@SpringBootTest(
    classes = OtpApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.security.code-authentications="
          + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
      "management.endpoints.web.exposure.include=health",
      "management.endpoint.health.show-details=always"
    })
class AuthFailureIT extends AuthFailureSupport {

  @Test
  void unauthorized_showsInDetailsButStaysUp() {
    loginWhileKeyRefused();
    assertThat(overallHealthStatus()).isEqualTo(200);
    String health = feedbackHealth();
    assertThat(Json.string(health, "status")).isEqualTo("UP");
    assertThat(health).contains("\"authFailing\":true").contains("401");

    loginAfterKeyFixed();
    assertThat(feedbackHealth()).contains("\"authFailing\":false");
  }
}
