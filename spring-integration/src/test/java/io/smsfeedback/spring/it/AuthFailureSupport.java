package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.SentMessage;
import java.net.http.HttpResponse;

/** 8x8 refuses our key (401), then accepts it again. */
abstract class AuthFailureSupport extends SimulatorIT {

  /** Logs in with a right code while 8x8 answers 401; returns the health answer. */
  HttpResponse<String> loginWhileKeyRefused() {
    simulator().respondAlways(401);
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");
    simulator().awaitAttempts(sms.umid(), 1, WAIT);
    assertThat(reporter.flush(WAIT)).isTrue();
    assertThat(reporter.stats().rejected()).isEqualTo(1);
    assertThat(reporter.stats().authFailing()).isTrue();
    return browser.get("/actuator/health");
  }

  /** With 8x8 accepting again, a later delivery clears the failure; returns the health answer. */
  HttpResponse<String> loginAfterKeyFixed() {
    simulator().clearFaults();
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");
    assertOnly(feedbackFor(sms.umid()), "success");
    return browser.get("/actuator/health");
  }
}
