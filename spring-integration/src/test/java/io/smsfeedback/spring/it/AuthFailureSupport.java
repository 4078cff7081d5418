package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;

/** 8x8 refuses our key (401), then accepts it again. */
abstract class AuthFailureSupport extends SimulatorIT {

  /** Logs in with a right code while 8x8 answers 401. */
  void loginWhileKeyRefused() {
    SIM.respondAlways(401);
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");
    SIM.awaitAttempts(sms.umid(), 1, WAIT);
    assertThat(reporter.flush(WAIT)).isTrue();
    assertThat(reporter.stats().rejected()).isEqualTo(1);
    assertThat(reporter.stats().authFailing()).isTrue();
  }

  /** With 8x8 accepting again, a later delivery clears the failure. */
  void loginAfterKeyFixed() {
    SIM.clearFaults();
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  /** The application's overall health: its HTTP status. */
  int overallHealthStatus() {
    return browser().get("/actuator/health").statusCode();
  }

  /** Our indicator's answer: {@code /actuator/health/smsFeedback}. */
  String feedbackHealth() {
    return browser().get("/actuator/health/smsFeedback").body();
  }
}
