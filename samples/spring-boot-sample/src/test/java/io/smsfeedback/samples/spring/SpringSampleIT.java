package io.smsfeedback.samples.spring;

import static io.smsfeedback.testkit.Browser.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Spring Boot sample as a user drives it, over HTTP on a random port, against the simulator
 * the sample starts itself: password, then the starter's SMS one-time-token login (codes made,
 * sent and checked by the starter): a wrong code, a resend, a success and an abandoned code, and
 * exactly the feedback 8x8 must get for them (one outcome per umid, the right one).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = SpringSampleIT.ABANDON_AFTER)
class SpringSampleIT {

  /** Abandonment within seconds (the sample says 2m, the default is 10m); shared by the ITs. */
  static final String ABANDON_AFTER = "sms.feedback.abandon-after=3s";

  private static final String PHONE = "+6512345678";

  @Value("${local.server.port}")
  int port;

  @Autowired SmsApiSimulator sim;

  private URI base;

  @BeforeEach
  void setUp() {
    base = URI.create("http://localhost:" + port + "/");
  }

  @Test
  void wrongCodeResendSuccessAndAbandonment_reportExactlyOneRightOutcomePerUmid() throws Exception {
    Browser alice = new Browser(base);
    assertThat(alice.get("").statusCode()).isEqualTo(302);

    int inbox = inboxSize();
    HttpResponse<String> login =
        alice.submit("login", "login", "username", "alice", "password", "password");
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(location(login)).endsWith("/otp");
    SentMessage first = newMessage(inbox);
    assertThat(first.text()).matches("Your code is \\d{6}");
    assertThat(first.subAccountId()).isEqualTo(SimulatorInitializer.SUB_ACCOUNT_ID);
    assertThat(alice.get("demo").body()).contains(first.code().orElseThrow());
    // Signed in with the password only: the app still wants the code.
    assertThat(location(alice.get(""))).contains("/otp?factor.type=ott");

    // A wrong code is not a failure: it only counts an attempt.
    HttpResponse<String> wrong = alice.submit("otp", "login/ott", "token", wrongCode(first));
    assertThat(location(wrong)).endsWith("/otp?error");
    assertThat(alice.get("otp?error").body()).contains("Wrong or expired code");

    // A new code supersedes the first one: failure for the first umid.
    assertThat(location(alice.submit("otp", "ott/generate"))).endsWith("/otp");
    SentMessage second = newMessage(inbox + 1);
    assertThat(second.umid()).isNotEqualTo(first.umid());
    assertThat(sim.awaitFeedback(first.umid(), Duration.ofSeconds(10)).outcome())
        .isEqualTo("failure");

    // A wrong code, then the right one: success for the second umid.
    assertThat(location(alice.submit("otp", "login/ott", "token", wrongCode(second))))
        .endsWith("/otp?error");
    Instant beforeSuccess = Instant.now().minusMillis(1);
    HttpResponse<String> right =
        alice.submit("otp", "login/ott", "token", second.code().orElseThrow());
    assertThat(right.statusCode()).isEqualTo(302);
    assertThat(location(right)).doesNotContain("otp").doesNotContain("login");
    HttpResponse<String> home = alice.get("");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("Welcome, alice").contains("FACTOR_OTT, FACTOR_PASSWORD");
    ReceivedFeedback success = sim.awaitFeedback(second.umid(), Duration.ofSeconds(10));
    assertThat(success.outcome()).isEqualTo("success");
    assertThat(success.actedAt()).hasValueSatisfying(t -> assertThat(t).isAfter(beforeSuccess));

    // Someone passes the password step and never types the code: failure after abandon-after.
    Browser other = new Browser(base);
    inbox = inboxSize();
    assertThat(location(other.submit("login", "login", "username", "alice", "password", "password")))
        .endsWith("/otp");
    SentMessage abandoned = newMessage(inbox);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !sim.receivedFeedback(abandoned.umid()).isEmpty());

    Set<UUID> mine = Set.of(first.umid(), second.umid(), abandoned.umid());
    List<ReceivedFeedback> received =
        sim.receivedFeedback().stream().filter(f -> mine.contains(f.umid())).toList();
    assertThat(received)
        .extracting(ReceivedFeedback::umid, ReceivedFeedback::outcome)
        .containsExactlyInAnyOrder(
            tuple(first.umid(), "failure"),
            tuple(second.umid(), "success"),
            tuple(abandoned.umid(), "failure"));
    sim.assertNoDuplicates();
  }

  @Test
  void smsRefusedBy8x8_codePageSaysSoAndANewCodeSignsIn() throws Exception {
    Browser alice = new Browser(base);
    int inbox = inboxSize();
    sim.enqueueSendFaults(Fault.status(400));
    HttpResponse<String> login =
        alice.submit("login", "login", "username", "alice", "password", "password");
    assertThat(location(login)).endsWith("/otp?sms-error");
    assertThat(inboxSize()).isEqualTo(inbox);
    assertThat(alice.get("otp?sms-error").body()).contains("The SMS could not be sent");

    assertThat(location(alice.submit("otp", "ott/generate"))).endsWith("/otp");
    SentMessage sms = newMessage(inbox);
    HttpResponse<String> right = alice.submit("otp", "login/ott", "token", sms.code().orElseThrow());
    assertThat(location(right)).doesNotContain("otp").doesNotContain("login");
    assertThat(alice.get("").body()).contains("Welcome, alice");
    assertThat(sim.awaitFeedback(sms.umid(), Duration.ofSeconds(10)).outcome()).isEqualTo("success");
  }

  @Test
  void wrongPassword_sendsNoSms() throws Exception {
    int before = sim.sentMessages().size();
    HttpResponse<String> r =
        new Browser(base).submit("login", "login", "username", "alice", "password", "nope");
    assertThat(location(r)).endsWith("/login?error");
    assertThat(sim.sentMessages()).hasSize(before);
  }

  @Test
  void codeStepWithoutPassword_isRefused() throws Exception {
    Browser stranger = new Browser(base);
    int before = sim.sentMessages().size();
    assertThat(location(stranger.get("otp"))).endsWith("/login");
    // No code for a name typed into the form: codes go only to the user who passed the password.
    HttpResponse<String> generate = stranger.submit("login", "ott/generate", "username", "alice");
    assertThat(generate.statusCode()).isEqualTo(302);
    assertThat(location(generate)).doesNotContain("/otp");
    assertThat(sim.sentMessages()).hasSize(before);
  }

  @Test
  void healthShowsTheStarter() throws Exception {
    HttpResponse<String> health = new Browser(base).get("actuator/health/smsFeedback");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("delivered");
  }

  private int inboxSize() {
    return sim.sentMessagesTo(PHONE).size();
  }

  /** The one SMS sent since the inbox held {@code before} messages. */
  private SentMessage newMessage(int before) {
    await().atMost(Duration.ofSeconds(5)).until(() -> inboxSize() > before);
    List<SentMessage> inbox = sim.sentMessagesTo(PHONE);
    assertThat(inbox).hasSize(before + 1);
    return inbox.get(before);
  }

  private static String wrongCode(SentMessage m) {
    return m.code().orElseThrow().equals("000000") ? "111111" : "000000";
  }
}
