package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import io.smsfeedback.spring.it.ottmfa.SmsMfaApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Spring Security 7 multi-factor: a password, then the starter's SMS code ({@link SmsMfaApp}). */
@SpringBootTest(
    classes = SmsMfaApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sms.feedback.sub-account-id=acme_otp")
class SmsMultiFactorIT extends SimulatorIT {

  private Browser signedInWithPassword(String username) {
    Browser browser = browser();
    assertRedirect(browser.post("/login", "username", username, "password", "password"), "/");
    assertThat(browser.get("/").statusCode()).as("SMS code still missing").isEqualTo(302);
    return browser;
  }

  /** After the second factor Spring Security 7 sends the browser back to its saved request. */
  private static void signedIn(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
  }

  @Test
  void passwordThenSmsCode_signsInAndReportsSuccess() {
    Browser browser = signedInWithPassword("alice");
    SentMessage sms = SmsLoginIT.requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    signedIn(SmsLoginIT.submit(browser, code(sms)));
    assertThat(browser.get("/").body()).isEqualTo("hello alice");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void typoThenRightCode_countsAWrongCodeAndReportsSuccess() {
    Browser browser = signedInWithPassword("alice");
    SentMessage sms = SmsLoginIT.requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    long wrongCodes = tracker.stats().wrongCodes();
    assertRedirect(SmsLoginIT.submit(browser, SmsLoginIT.wrong(code(sms))), "/login?error");
    assertThat(tracker.stats().wrongCodes()).isEqualTo(wrongCodes + 1);
    signedIn(SmsLoginIT.submit(browser, code(sms)));
    assertThat(browser.get("/").body()).isEqualTo("hello alice");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void bobsPasswordAndAlicesCode_neverGiveBothFactors() {
    Browser alice = browser();
    SentMessage alices = SmsLoginIT.requestCode(SIM, alice, "alice", SmsLoginApp.ALICE_PHONE);
    Browser bob = signedInWithPassword("bob");
    SmsLoginIT.submit(bob, code(alices));
    assertThat(bob.get("/").statusCode()).as("bob still lacks the SMS factor").isEqualTo(302);
  }
}
