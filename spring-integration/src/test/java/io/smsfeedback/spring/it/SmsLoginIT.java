package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * SMS one-time-token login with no code but the phone-number bean ({@link SmsLoginApp}), on Spring
 * Security 7 (Boot 4) and 6.5 (Boot 3.5, {@code -Pboot3}), against the simulator on loopback.
 */
@SpringBootTest(
    classes = SmsLoginApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sms.feedback.sub-account-id=acme_otp")
class SmsLoginIT extends SimulatorIT {

  /** Asks for a code for {@code username}; returns the SMS the simulator got at {@code phone}. */
  static SentMessage requestCode(
      SmsApiSimulator sim, Browser browser, String username, String phone) {
    int before = sim.sentMessagesTo(phone).size();
    assertRedirect(browser.post("/ott/generate", "username", username), "/login/ott");
    List<SentMessage> sent = sim.sentMessagesTo(phone);
    assertThat(sent).hasSize(before + 1);
    SentMessage sms = sent.get(sent.size() - 1);
    assertThat(sms.text()).matches("Your code is [0-9]{6}");
    return sms;
  }

  static HttpResponse<String> submit(Browser browser, String code) {
    return browser.post("/login/ott", "token", code);
  }

  static String wrong(String code) {
    return code.equals("000000") ? "000001" : "000000";
  }

  @Test
  void rightCode_signsInAndReportsSuccess() {
    Browser browser = browser();
    SentMessage sms = requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    assertRedirect(submit(browser, code(sms)), "/");
    assertThat(browser.get("/").body()).isEqualTo("hello alice");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void typoThenRightCode_signsInAndReportsSuccess() {
    Browser browser = browser();
    SentMessage sms = requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    assertRedirect(submit(browser, wrong(code(sms))), "/login?error");
    assertRedirect(submit(browser, code(sms)), "/");
    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void resend_reportsFailureForTheFirstAndOnlyTheNewCodeWorks() {
    Browser browser = browser();
    SentMessage first = requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    SentMessage second = requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    assertOnly(feedbackFor(first.umid()), "failure");
    if (!code(first).equals(code(second))) {
      assertRedirect(submit(browser, code(first)), "/login?error");
    }
    assertRedirect(submit(browser, code(second)), "/");
    assertOnly(feedbackFor(second.umid()), "success");
  }

  @Test
  void codeOfAlice_neverSignsInBob() {
    Browser alice = browser();
    Browser bob = browser();
    SentMessage alices = requestCode(SIM, alice, "alice", SmsLoginApp.ALICE_PHONE);
    SentMessage bobs = requestCode(SIM, bob, "bob", SmsLoginApp.BOB_PHONE);
    if (!code(alices).equals(code(bobs))) {
      assertRedirect(submit(bob, code(alices)), "/login?error");
      assertRedirect(bob.post("/login/ott", "token", code(alices), "username", "bob"), "/login?error");
    }
    assertRedirect(alice.post("/login/ott", "token", code(bobs), "username", "bob"), "/");
    assertThat(alice.get("/").body())
        .as("the code signs in the user it was sent to, whoever types it")
        .isEqualTo("hello bob");
    assertRedirect(submit(alice, code(alices)), "/");
    assertThat(alice.get("/").body()).isEqualTo("hello alice");
  }

  @Test
  void fiveWrongCodes_endTheCodeAndReportFailure() {
    Browser browser = browser();
    SentMessage sms = requestCode(SIM, browser, "alice", SmsLoginApp.ALICE_PHONE);
    for (int i = 0; i < 5; i++) {
      assertRedirect(submit(browser, wrong(code(sms))), "/login?error");
    }
    assertRedirect(submit(browser, code(sms)), "/login?error");
    assertOnly(feedbackFor(sms.umid()), "failure");
  }

  @Test
  void unknownUser_getsTheSameAnswerAndNoSms() {
    int before = SIM.sentMessages().size();
    assertRedirect(browser().post("/ott/generate", "username", "mallory"), "/login/ott");
    assertThat(SIM.sentMessages()).hasSize(before);
  }

  @Test
  void sendRefusedBy8x8_redirectsWithAFlagInsteadOfAnError() {
    SIM.enqueueSendFaults(Fault.status(500));
    Browser browser = browser();
    HttpResponse<String> r = browser.post("/ott/generate", "username", "alice");
    assertRedirect(r, "/login?sms-failed");
    assertThat(SIM.sentMessagesTo(SmsLoginApp.ALICE_PHONE)).isEmpty();
  }
}
