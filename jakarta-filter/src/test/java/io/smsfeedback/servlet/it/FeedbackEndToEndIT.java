package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.servlet.fakes.RecordingTracker;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole path in real containers (Jetty 12 ee10, Tomcat 11): the jar registers the filter by
 * itself, the app sends OTPs through the 8x8 simulator and checks codes, and each scenario asserts
 * what the simulator received as feedback.
 */
class FeedbackEndToEndIT extends SimulatorBackedApp {

  static final Duration WAIT = Duration.ofSeconds(10);

  WebApp app() {
    return app("/check,/check-redirect,/async-check");
  }

  Browser start(ServletContainer.Kind kind, WebApp app) throws Exception {
    return start(kind.create(), app);
  }

  ReceivedFeedback awaitOnly(UUID umid, String outcome) {
    ReceivedFeedback f = simulator.awaitFeedback(umid, WAIT);
    assertThat(f.outcome()).isEqualTo(outcome);
    assertThat(f.subAccountId()).isEqualTo(SUB);
    return f;
  }

  /** Lets a second, later flow finish, then checks that nothing but the expected feedback came. */
  void assertOnlyFeedback(int count) {
    simulator.assertNoDuplicates();
    assertThat(simulator.receivedFeedback()).hasSize(count);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void success(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app());
    assertThat(user.post("/send").statusCode()).isEqualTo(200);
    UUID umid = lastUmid();
    Instant before = Instant.now();

    HttpResponse<String> ok = user.post("/check", "code", codeOf(umid));

    assertThat(ok.statusCode()).isEqualTo(200);
    ReceivedFeedback f = awaitOnly(umid, "success");
    assertThat(Instant.parse(f.timestamp())).isBetween(before.minusSeconds(1), Instant.now());
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void wrongCodeThenSuccess_oneSuccess(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app());
    user.post("/send-string");
    UUID umid = lastUmid();

    assertThat(user.post("/check", "code", "000000x").statusCode()).isEqualTo(401);
    assertThat(user.post("/check-redirect", "code", "111111x").headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("?error"));
    assertThat(user.post("/check-redirect", "code", codeOf(umid)).statusCode()).isEqualTo(302);

    awaitOnly(umid, "success");
    assertThat(filter().stats().wrongCodes()).isEqualTo(2);
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void wrongCodesThenAbandonment_oneFailure(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app().param("sms.feedback.abandon-after", "1s"));
    user.post("/send");
    UUID umid = lastUmid();
    user.post("/check", "code", "000000x");
    user.post("/check", "code", "000001x");

    awaitOnly(umid, "failure");
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void resend_failureForTheFirstThenTheSecondsOutcome(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app());
    user.post("/send");
    UUID first = lastUmid();
    user.post("/send-string");
    UUID second = lastUmid();

    awaitOnly(first, "failure");
    user.post("/check", "code", codeOf(first)); // the old code no longer works
    user.post("/check", "code", codeOf(second));

    awaitOnly(second, "success");
    assertOnlyFeedback(2);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionInvalidatedAndReplacedDuringVerification_stillReported(ServletContainer.Kind kind)
      throws Exception {
    Browser user = start(kind, app());
    user.post("/send-string");
    UUID umid = lastUmid();

    HttpResponse<String> ok = user.post("/check", "code", codeOf(umid), "rotate", "invalidate");

    assertThat(ok.body()).isEqualTo("verified");
    awaitOnly(umid, "success");
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void noSession_nothingReportedResponseUnchanged(ServletContainer.Kind kind) throws Exception {
    Browser anonymous = start(kind, app());
    HttpResponse<String> r = anonymous.post("/check", "code", "123456");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("wrong code");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();

    // A later, complete flow: its feedback arrives, and it is the only one.
    Browser user = new Browser(container.baseUri());
    user.post("/send");
    UUID umid = lastUmid();
    user.post("/check", "code", codeOf(umid));
    awaitOnly(umid, "success");
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void garbageInTheSession_responseUnchangedNothingReportedCounted(ServletContainer.Kind kind)
      throws Exception {
    Browser user = start(kind, app());
    for (String kindOfGarbage : List.of("int", "text", "oversized")) {
      HttpResponse<String> stored = user.post("/garbage", "kind", kindOfGarbage);
      assertThat(stored.statusCode()).isEqualTo(200);
      assertThat(stored.body()).isEqualTo("stored");
      HttpResponse<String> check = user.post("/check", "code", "123456");
      assertThat(check.statusCode()).isEqualTo(401);
      assertThat(check.body()).isEqualTo("wrong code");
    }
    await().atMost(WAIT).until(() -> filter().stats().ignoredValues() == 3);

    Browser other = new Browser(container.baseUri());
    other.post("/send");
    UUID umid = lastUmid();
    other.post("/check", "code", codeOf(umid));
    awaitOnly(umid, "success");
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void simulatorClosed_appUnchangedAndFast(ServletContainer.Kind kind) throws Exception {
    SmsApiSimulator closed = SmsApiSimulator.start();
    closed.close();
    Browser user =
        start(
            kind,
            app()
                .param("sms.feedback.base-url", closed.baseUrl())
                .param("sms.feedback.shutdown-timeout", "1s"));

    assertFastAndUnchanged(user);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void simulatorHanging_appUnchangedAndFast(ServletContainer.Kind kind) throws Exception {
    simulator.hangAll();
    Browser user =
        start(
            kind,
            app()
                .param("sms.feedback.response-timeout", "30s")
                .param("sms.feedback.shutdown-timeout", "1s"));

    UUID umid = assertFastAndUnchanged(user);
    simulator.awaitAttempts(umid, 1, WAIT);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void simulatorAnswering503_appUnchangedAndFast(ServletContainer.Kind kind) throws Exception {
    simulator.respondAlways(503);
    Browser user = start(kind, app().param("sms.feedback.shutdown-timeout", "1s"));

    UUID umid = assertFastAndUnchanged(user);
    simulator.awaitAttempts(umid, 2, WAIT); // retried
  }

  /** A send and a check each answer as without the filter, well within 8x8's timeouts. */
  UUID assertFastAndUnchanged(Browser user) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> sent = user.post("/send");
    UUID umid = lastUmid();
    HttpResponse<String> ok = user.post("/check", "code", codeOf(umid));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(sent.body()).isEqualTo("sent");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("verified");
    // A response that waited on 8x8 would take the 30s response timeout (or retries).
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    await().atMost(WAIT).until(() -> filter().stats().successes() == 1);
    return umid;
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void stoppingTheApp_drainsWhatIsQueued(ServletContainer.Kind kind) throws Exception {
    simulator.alwaysApply(Fault.latency(Duration.ofMillis(300)));
    Browser user = start(kind, app());
    user.post("/send");
    UUID umid = lastUmid();
    user.post("/check", "code", codeOf(umid));

    container.close();
    container = null;

    assertThat(simulator.receivedFeedback(umid))
        .singleElement()
        .satisfies(f -> assertThat(f.outcome()).isEqualTo("success"));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void explicitMarkerWinsOverHttpStatus(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app());
    user.post("/send");
    UUID umid = lastUmid();

    HttpResponse<String> r = user.post("/check", "code", "nope", "marker", "verified");

    assertThat(r.statusCode()).isEqualTo(401);
    awaitOnly(umid, "success");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void asyncRequest_completesThroughTheAsyncListener(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app());
    user.post("/send");
    UUID umid = lastUmid();

    assertThat(user.post("/async-check", "code", "nope").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = user.post("/async-check", "code", codeOf(umid));

    assertThat(ok.body()).isEqualTo("verified");
    awaitOnly(umid, "success");
    assertThat(filter().stats().wrongCodes()).isEqualTo(1);
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void twoSelfConfiguredInstancesRegistered_runOnce(ServletContainer.Kind kind) throws Exception {
    // Like web.xml declaring the filter twice (and the jar's initializer standing down).
    Browser user =
        start(
            kind,
            app()
                .filter("first", new SmsFeedbackFilter())
                .filter("second", new SmsFeedbackFilter()));
    user.post("/send");
    UUID umid = lastUmid();
    user.post("/check", "code", codeOf(umid));

    awaitOnly(umid, "success");
    assertThat(container.servletContext().getFilterRegistrations())
        .containsOnlyKeys("first", "second");
    assertOnlyFeedback(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void frameworkRegistersItsOwnInstanceLater_automaticOneStandsDown(ServletContainer.Kind kind)
      throws Exception {
    // Like a Spring Boot WAR: another initializer, run after ours, registers a filter bean.
    RecordingTracker springTracker = new RecordingTracker();
    FilterSettings settings =
        FilterSettings.builder().subAccountId(SUB).verificationPaths("/check").build();
    SmsFeedbackFilter springFilter = new SmsFeedbackFilter(springTracker, settings);
    ServletContainerInitializer spring =
        (classes, ctx) ->
            ctx.addFilter("springSmsFeedbackFilter", springFilter)
                .addMappingForUrlPatterns(
                    EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/*");
    Browser user = start(kind, app().initializer(spring));
    user.post("/send");
    UUID umid = lastUmid();
    user.post("/check", "code", codeOf(umid));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(springTracker.calls).anyMatch(c -> c.startsWith("verified " + umid)));
    ServletContext ctx = container.servletContext();
    assertThat(SmsFeedbackFilter.find(ctx)).isSameAs(springFilter);
    assertThat(simulator.feedbackRequests()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void disabled_passThroughWithoutThreads(ServletContainer.Kind kind) throws Exception {
    await().atMost(WAIT).until(() -> ourThreads().isEmpty()); // from earlier tests' shutdowns
    Browser user = start(kind, app().param("sms.feedback.enabled", "false"));
    user.post("/send");
    UUID umid = lastUmid();

    HttpResponse<String> ok = user.post("/check", "code", codeOf(umid));

    assertThat(ok.body()).isEqualTo("verified");
    assertThat(filter().isActive()).isFalse();
    assertThat(ourThreads()).isEmpty();
    assertThat(simulator.feedbackRequests()).isEmpty();
  }

  static List<String> ourThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("sms-feedback"))
        .toList();
  }
}
