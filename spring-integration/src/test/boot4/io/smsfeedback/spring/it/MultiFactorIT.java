package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.mfa.MfaApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Spring Security 7 multi-factor authentication (password, then a one-time token by SMS). */
@SpringBootTest(
    classes = MfaApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sms.feedback.sub-account-id=acme_otp")
class MultiFactorIT extends SimulatorIT {

  @Test
  void passwordThenToken_reportsSuccess() {
    Browser browser = browser();
    assertThat(browser.post("/login", "username", "alice", "password", "password").statusCode())
        .isEqualTo(302);
    assertThat(browser.get("/").statusCode()).as("second factor still missing").isEqualTo(302);

    SentMessage sms = sendOneTimeToken(browser, "alice");
    assertThat(browser.post("/login/ott", "token", token(sms)).statusCode()).isEqualTo(302);

    assertThat(browser.get("/").body()).isEqualTo("hello alice");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void wrongTokenThenRightToken_countsAnAttemptAndReportsSuccess() {
    Browser browser = browser();
    browser.post("/login", "username", "alice", "password", "password");
    SentMessage sms = sendOneTimeToken(browser, "alice");
    long wrongCodes = tracker.stats().wrongCodes();

    assertRedirect(browser.post("/login/ott", "token", "not-the-token"), "/login?error");
    assertThat(tracker.stats().wrongCodes()).isEqualTo(wrongCodes + 1);
    browser.post("/login/ott", "token", token(sms));

    assertThat(browser.get("/").body()).isEqualTo("hello alice");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void passwordStepAgainWhileTokenPending_isNotASuccess() {
    Browser browser = browser();
    browser.post("/login", "username", "alice", "password", "password");
    SentMessage sms = sendOneTimeToken(browser, "alice");

    browser.post("/login", "username", "alice", "password", "password");
    assertThat(reporter.flush(WAIT)).isTrue();
    assertThat(SIM.receivedFeedback(sms.umid())).isEmpty();

    browser.post("/login/ott", "token", token(sms));
    assertOnly(feedbackFor(sms.umid()), "success");
  }
}
