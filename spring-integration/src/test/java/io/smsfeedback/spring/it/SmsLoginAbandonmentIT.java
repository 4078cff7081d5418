package io.smsfeedback.spring.it;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import io.smsfeedback.testkit.SentMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** SMS one-time-token login: nobody comes back with the code, failure at {@code abandon-after}. */
@SpringBootTest(
    classes = SmsLoginApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"sms.feedback.sub-account-id=acme_otp", "sms.feedback.abandon-after=1s"})
class SmsLoginAbandonmentIT extends SimulatorIT {

  @Test
  void codeNeverEntered_reportsFailure() {
    SentMessage sms = SmsLoginIT.requestCode(SIM, browser(), "alice", SmsLoginApp.ALICE_PHONE);
    assertOnly(feedbackFor(sms.umid()), "failure");
  }
}
