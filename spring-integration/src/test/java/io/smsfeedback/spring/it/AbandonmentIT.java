package io.smsfeedback.spring.it;

import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.SentMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Nobody comes back with the code: failure at {@code abandon-after}. */
@SpringBootTest(
    classes = OtpApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.security.code-authentications="
          + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
      "sms.feedback.abandon-after=1s"
    })
class AbandonmentIT extends SimulatorIT {

  @Test
  void codeNeverEntered_reportsFailure() {
    SentMessage sms = sendSmsCode(browser());
    assertOnly(feedbackFor(sms.umid()), "failure");
  }

  @Test
  void oneTimeTokenNeverUsed_reportsFailure() {
    SentMessage sms = sendOneTimeToken(browser(), "alice");
    assertOnly(feedbackFor(sms.umid()), "failure");
  }
}
