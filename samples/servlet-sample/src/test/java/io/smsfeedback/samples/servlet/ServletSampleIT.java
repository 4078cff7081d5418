package io.smsfeedback.samples.servlet;

import static io.smsfeedback.testkit.Browser.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The servlet sample as a user drives it, over HTTP on a random port, against the in-process 8x8
 * simulator: a wrong code, a resend, a success and an abandoned code, and exactly the feedback
 * 8x8 must get for them.
 */
class ServletSampleIT {

  private static final String PHONE = ServletSample.DEFAULT_PHONE;
  private static ServletSample app;
  private static SmsApiSimulator sim;

  @BeforeAll
  static void start() throws Exception {
    // System properties win over sms-feedback.properties (2m): abandonment within seconds.
    System.setProperty("sms.feedback.abandon-after", "3s");
    app = ServletSample.start(0, Map.of());
    sim = app.simulator();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    System.clearProperty("sms.feedback.abandon-after");
  }

  @Test
  void wrongCodeResendSuccessAndAbandonment_reportExactlyOneRightOutcomePerUmid() throws Exception {
    Browser alice = new Browser(app.baseUri());
    assertThat(location(alice.get(""))).endsWith("/login");

    HttpResponse<String> login = alice.post("login", "username", "alice", "password", "password");
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(location(login)).endsWith("/otp");
    SentMessage first = onlyNewMessage(0);
    assertThat(first.text()).matches("Your code is \\d{6}");
    assertThat(alice.get("demo").body()).contains(first.code().orElseThrow());

    // A wrong code is not a failure: it only counts an attempt.
    HttpResponse<String> wrong = alice.post("otp/verify", "code", wrongCode(first));
    assertThat(location(wrong)).endsWith("/otp?error");
    assertThat(alice.get("otp?error").body()).contains("Wrong code");

    // A new code supersedes the first one: failure for the first umid.
    assertThat(location(alice.post("otp/resend"))).endsWith("/otp?resent");
    SentMessage second = onlyNewMessage(1);
    assertThat(sim.awaitFeedback(first.umid(), Duration.ofSeconds(10)).outcome())
        .isEqualTo("failure");

    // A wrong code, then the right one: success for the second umid.
    assertThat(location(alice.post("otp/verify", "code", wrongCode(second)))).endsWith("/otp?error");
    Instant beforeSuccess = Instant.now();
    HttpResponse<String> right = alice.post("otp/verify", "code", second.code().orElseThrow());
    assertThat(right.statusCode()).isEqualTo(302);
    assertThat(location(right)).endsWith("/");
    assertThat(alice.get("").body()).contains("Welcome, alice");
    ReceivedFeedback success = sim.awaitFeedback(second.umid(), Duration.ofSeconds(10));
    assertThat(success.outcome()).isEqualTo("success");
    assertThat(success.actedAt()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(beforeSuccess.minusMillis(1)));

    // Someone signs in with the password and never types the code: failure after abandon-after.
    Browser bob = new Browser(app.baseUri());
    assertThat(location(bob.post("login", "username", "alice", "password", "password"))).endsWith("/otp");
    SentMessage abandoned = onlyNewMessage(2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !sim.receivedFeedback(abandoned.umid()).isEmpty());

    assertThat(sim.receivedFeedback())
        .extracting(ReceivedFeedback::umid, ReceivedFeedback::outcome)
        .containsExactlyInAnyOrder(
            tuple(first.umid(), "failure"),
            tuple(second.umid(), "success"),
            tuple(abandoned.umid(), "failure"));
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).allSatisfy(f -> assertThat(f.subAccountId()).isEqualTo("demo-otp"));
    assertThat(alice.get("demo").body()).contains("1 success, 2 failure");
  }

  @Test
  void wrongPassword_sendsNoSms() throws Exception {
    int before = sim.sentMessages().size();
    HttpResponse<String> r =
        new Browser(app.baseUri()).post("login", "username", "alice", "password", "nope");
    assertThat(location(r)).endsWith("/login?error");
    assertThat(sim.sentMessages()).hasSize(before);
  }

  private static SentMessage onlyNewMessage(int alreadySent) {
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.sentMessagesTo(PHONE).size() > alreadySent);
    assertThat(sim.sentMessagesTo(PHONE)).hasSize(alreadySent + 1);
    SentMessage m = sim.sentMessagesTo(PHONE).get(alreadySent);
    assertThat(m.umid()).isInstanceOf(UUID.class);
    return m;
  }

  private static String wrongCode(SentMessage m) {
    String code = m.code().orElseThrow();
    return code.equals("000000") ? "111111" : "000000";
  }
}
