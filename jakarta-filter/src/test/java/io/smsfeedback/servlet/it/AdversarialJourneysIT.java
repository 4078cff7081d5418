package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.servlet.FilterStats;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that would make the filter tell 8x8 something untrue, in real containers against the
 * simulator: resends judged as verifications, a bot's parallel sends on one session, requests the
 * app never handled (400 before the handler, a CSRF refusal), an abandoned OTP after a restart with
 * persisted sessions. Each journey stops the web app (which drains the reporter) and then asserts
 * every umid the simulator sent got exactly the outcome the truth calls for, once.
 */
class AdversarialJourneysIT extends SimulatorBackedApp {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String PREFIX = "/otp/*";
  static final String EXACT = "/otp/send,/otp/verify";

  static Stream<Arguments> containersAndPaths() {
    return Stream.of(ServletContainer.Kind.values())
        .flatMap(k -> Stream.of(Arguments.of(k, PREFIX), Arguments.of(k, EXACT)));
  }

  FilterStats stats() {
    return filter().stats();
  }

  /**
   * Waits until the filter has finished the last request (a response can reach the client before
   * the filter's work after the chain is done), told by the counter that request moves.
   */
  void awaitFilter(Predicate<FilterStats> done) {
    await().atMost(WAIT).until(() -> done.test(stats()));
  }

  /** Stops the web app, which delivers everything decided so far. */
  void stopApp() throws Exception {
    container.close();
    container = null;
  }

  /** Every umid the app sent has exactly the expected outcome, and nothing else came. */
  void assertOutcomes(Map<UUID, String> expected) {
    simulator.assertNoDuplicates();
    Map<UUID, String> received = new LinkedHashMap<>();
    for (ReceivedFeedback f : simulator.receivedFeedback()) {
      received.put(f.umid(), f.outcome());
    }
    assertThat(received).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(simulator.receivedFeedback()).hasSize(expected.size());
  }

  @ParameterizedTest(name = "{0} paths={1}")
  @MethodSource("containersAndPaths")
  void resend_supersedesThePreviousSmsAndIsNeverItsSuccess(
      ServletContainer.Kind kind, String paths) throws Exception {
    Browser user = start(kind.create(), app(paths));
    assertThat(user.post("/otp/send").statusCode()).isEqualTo(302);
    UUID first = lastUmid();

    HttpResponse<String> resend = user.post("/otp/send");
    UUID second = lastUmid();
    // A 302 to /otp, on a verification path: the status rule alone would call it a success.
    assertThat(resend.statusCode()).isEqualTo(302);
    assertThat(resend.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/otp"));
    assertThat(user.post("/otp/verify", "code", codeOf(second)).statusCode()).isEqualTo(302);

    awaitFilter(s -> s.successes() >= 1);
    stopApp();
    assertOutcomes(Map.of(first, "failure", second, "success"));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void resendThatAlsoSetsTheMarker_isStillOnlyASend(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind.create(), app(PREFIX));
    user.post("/otp/send");
    UUID first = lastUmid();

    user.post("/otp/send", "marker", "verified"); // row 0 comes before the marker
    UUID second = lastUmid();
    user.post("/otp/verify", "code", "000000x"); // a wrong code for the second: one attempt

    awaitFilter(s -> s.wrongCodes() >= 1);
    assertThat(stats().successes()).isZero();
    stopApp();
    assertOutcomes(Map.of(first, "failure")); // the second is pending: abandoned later
    assertThat(second).isNotEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void twentyParallelSendsOnOneSession_everySmsFailsExactlyOnceNoneVerified(
      ServletContainer.Kind kind) throws Exception {
    Browser bot = start(kind.create(), app(PREFIX).param("sms.feedback.abandon-after", "2s"));
    assertThat(bot.post("/otp/send").statusCode()).isEqualTo(302); // the session
    int threads = 20;
    List<Integer> statuses =
        Browser.atOnce(threads, () -> bot.post("/otp/send").statusCode());
    assertThat(statuses).containsOnly(302).hasSize(threads);
    List<SentMessage> sent = simulator.sentMessages();
    assertThat(sent).hasSize(threads + 1);

    // The last one in the session is abandoned (2s); the others were superseded.
    simulator.awaitFeedbackCount(threads + 1, WAIT);
    assertThat(stats().successes()).isZero();
    // At most once per umid: a umid superseded by a racing request before its own request told
    // the tracker is decided (superseded) without being counted as a send (FilterStats#sends).
    assertThat(stats().sends()).isBetween(1L, (long) threads + 1);
    stopApp();
    Map<UUID, String> expected = new LinkedHashMap<>();
    sent.forEach(m -> expected.put(m.umid(), "failure"));
    assertOutcomes(expected);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void threeCodelessPostsRefusedBeforeTheHandler_areNoAttempts(ServletContainer.Kind kind)
      throws Exception {
    // As Spring MVC answers a POST without its required parameter: before the handler runs.
    refusedRequestsThenTheRightCode(kind, 3, 400);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void csrfRefusedPost_isNoAttempt(ServletContainer.Kind kind) throws Exception {
    // A cross-site POST carrying the victim's cookie, refused by the CSRF guard.
    refusedRequestsThenTheRightCode(kind, 1, 403, "code", "000000", "csrf", "forged");
  }

  /**
   * With max-attempts = {@code maxAttempts}, that many requests refused with {@code status} before
   * the code was checked, then the right code: success, and none of them was an attempt.
   */
  void refusedRequestsThenTheRightCode(
      ServletContainer.Kind kind, int maxAttempts, int status, String... refused) throws Exception {
    Browser user =
        start(kind.create(), app(EXACT).param("sms.feedback.max-attempts", "" + maxAttempts));
    user.post("/otp/send");
    UUID umid = lastUmid();

    for (int i = 0; i < maxAttempts; i++) {
      assertThat(user.post("/otp/verify", refused).statusCode()).isEqualTo(status);
    }
    assertThat(user.post("/otp/verify", "code", codeOf(umid)).statusCode()).isEqualTo(302);

    awaitFilter(s -> s.successes() >= 1);
    assertThat(stats().noVerdicts()).isEqualTo(maxAttempts);
    assertThat(stats().wrongCodes()).isZero();
    stopApp();
    assertOutcomes(Map.of(umid, "success"));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void wrongCodeByFailureRedirect_isTheLastAttempt(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind.create(), app(EXACT).param("sms.feedback.max-attempts", "1"));
    user.post("/otp/send");
    UUID umid = lastUmid();

    assertThat(user.post("/otp/verify", "code", "000000x").headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("?error"));
    awaitFilter(s -> s.wrongCodes() >= 1); // the last attempt: decided, and gone from the session
    user.post("/otp/verify", "code", codeOf(umid)); // too late: nothing pending to judge

    stopApp();
    assertOutcomes(Map.of(umid, "failure"));
  }

  @Test
  void abandonedThenRestartWithPersistedSessions_oneOutcome() throws Exception {
    TomcatContainer tomcat = new TomcatContainer(true);
    WebApp app = app(EXACT).param("sms.feedback.abandon-after", "1s");
    Browser user = start(tomcat, app);
    user.post("/otp/send");
    UUID umid = lastUmid();
    assertThat(simulator.awaitFeedback(umid, WAIT).outcome()).isEqualTo("failure");

    tomcat.restart(app); // SESSIONS.ser written on stop, read back on start
    Browser same = user.at(tomcat.baseUri());
    HttpResponse<String> verify = same.post("/otp/verify", "code", codeOf(umid));
    // The session (and the code in it) survived: the app accepts the code ...
    assertThat(verify.statusCode()).isEqualTo(302);
    assertThat(verify.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/home"));
    awaitFilter(s -> s.successes() >= 1);
    // ... but the abandoned umid is never decided again; nor when a resend replaces it.
    same.post("/otp/send");
    UUID second = lastUmid();

    stopApp();
    assertOutcomes(Map.of(umid, "failure"));
    assertThat(second).isNotEqualTo(umid);
  }

  @Test
  void restartWithPersistedSessions_pendingOtpStillVerified() throws Exception {
    TomcatContainer tomcat = new TomcatContainer(true);
    WebApp app = app(EXACT);
    Browser user = start(tomcat, app);
    user.post("/otp/send");
    UUID umid = lastUmid();

    tomcat.restart(app);
    Browser same = user.at(tomcat.baseUri());
    assertThat(same.post("/otp/verify", "code", codeOf(umid)).statusCode()).isEqualTo(302);

    await().atMost(WAIT).until(() -> !simulator.receivedFeedback(umid).isEmpty());
    stopApp();
    assertOutcomes(Map.of(umid, "success"));
  }
}
