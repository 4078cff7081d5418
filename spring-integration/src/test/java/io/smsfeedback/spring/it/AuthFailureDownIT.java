package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.app.OtpApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * With {@code health.down-on-auth-failure=true} a refused key turns health DOWN until a delivery
 * succeeds.
 */
@SpringBootTest(
    classes = OtpApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.security.code-authentications="
          + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
      "sms.feedback.health.down-on-auth-failure=true",
      "management.endpoints.web.exposure.include=health",
      "management.endpoint.health.show-details=always"
    })
class AuthFailureDownIT extends AuthFailureSupport {

  @Test
  void unauthorized_turnsHealthDownUntilADeliverySucceeds() {
    loginWhileKeyRefused();
    assertThat(overallHealthStatus()).isEqualTo(503);
    String health = feedbackHealth();
    assertThat(Json.string(health, "status")).isEqualTo("DOWN");
    assertThat(health).contains("\"authFailing\":true");

    loginAfterKeyFixed();
    assertThat(overallHealthStatus()).isEqualTo(200);
    assertThat(Json.string(feedbackHealth(), "status")).isEqualTo("UP");
  }
}
