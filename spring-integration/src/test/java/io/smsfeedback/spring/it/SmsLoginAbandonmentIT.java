package io.smsfeedback.spring.it;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** SMS one-time-token login: nobody comes back with the code, failure at {@code abandon-after}. */
@SpringBootTest(
    classes = SmsLoginApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"sms.feedback.sub-account-id=acme_otp", "sms.feedback.abandon-after=1s"})
@DirtiesContext
class SmsLoginAbandonmentIT extends SimulatorIT {

  static final SmsApiSimulator SIM = SmsApiSimulator.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    simulatorProperties(SIM, registry);
  }

  @AfterAll
  static void stopSimulator() {
    SIM.close();
  }

  @Override
  SmsApiSimulator simulator() {
    return SIM;
  }

  @Test
  void codeNeverEntered_reportsFailure() {
    SentMessage sms = SmsLoginIT.requestCode(SIM, browser(), "alice", SmsLoginApp.ALICE_PHONE);
    assertOnly(feedbackFor(sms.umid()), "failure");
  }
}
