package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.servlet.fakes.RecordingTracker;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testing.LogCapture;
import io.smsfeedback.testing.ManualClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter in real containers (Jetty 12 ee10, Tomcat 11) with a recording tracker: what reaches
 * the tracker for each request pattern. End-to-end scenarios against the 8x8 simulator are in
 * {@code FeedbackEndToEndIT}.
 */
class FilterInContainerIT {

  final ManualClock clock = new ManualClock();
  final RecordingTracker tracker = new RecordingTracker();
  final FakeSender sender = new FakeSender();
  final FilterSettings settings =
      FilterSettings.builder()
          .subAccountId("sub-1")
          .verificationPaths("/check", "/check-redirect", "/async-check")
          .build();
  ServletContainer container;

  @AfterEach
  void stop() throws Exception {
    if (container != null) {
      container.close();
    }
  }

  Browser start(ServletContainer.Kind kind, WebApp app) throws Exception {
    container = kind.create();
    container.start(app);
    return new Browser(container.baseUri());
  }

  WebApp app(SmsFeedbackFilter filter) {
    return TestApp.servlets(new WebApp(), sender).filter("smsFeedback", filter);
  }

  /** The response can reach the client before the filter's after-work ran: wait for it, bounded. */
  void awaitCalls(String... expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(tracker.calls).containsExactly(expected));
  }

  String verified(String umid) {
    return "verified " + umid + " " + clock.instant();
  }

  String sent(String umid) {
    return "sent " + umid + " sub-1 " + clock.instant();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sendThenCheck_reportsSendAndSuccess(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));

    assertThat(user.post("/send-string").statusCode()).isEqualTo(200);
    String umid = sender.last();
    assertThat(user.post("/check", "code", "000000x").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = user.post("/check", "code", sender.codeOf(umid));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("verified");
    awaitCalls(sent(umid), "wrongCode " + umid + " " + clock.instant(), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void redirects_successAndErrorLocation(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    HttpResponse<String> wrong = user.post("/check-redirect", "code", "x");
    HttpResponse<String> ok = user.post("/check-redirect", "code", sender.codeOf(umid));

    assertThat(wrong.statusCode()).isEqualTo(302);
    assertThat(wrong.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/otp?error"));
    assertThat(ok.statusCode()).isEqualTo(302);
    awaitCalls(sent(umid), "wrongCode " + umid + " " + clock.instant(), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionInvalidatedAndReplacedDuringVerification_stillReported(ServletContainer.Kind kind)
      throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    HttpResponse<String> ok =
        user.post("/check", "code", sender.codeOf(umid), "rotate", "invalidate");

    assertThat(ok.statusCode()).isEqualTo(200);
    awaitCalls(sent(umid), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionIdChangedDuringVerification_reportedOnceAndNoNewSend(ServletContainer.Kind kind)
      throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    user.post("/check", "code", sender.codeOf(umid), "rotate", "changeId");

    awaitCalls(sent(umid), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void resend_supersedesTheFirstUmid(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String first = sender.last();
    clock.advance(Duration.ofSeconds(40));
    user.post("/send");
    String second = sender.last();
    user.post("/check", "code", sender.codeOf(second));

    awaitCalls(
        "sent " + first + " sub-1 " + clock.instant().minusSeconds(40),
        sent(second),
        "superseded " + first + " " + clock.instant(),
        verified(second));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void noSession_nothingReportedAndNoSessionCreated(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));

    HttpResponse<String> r = user.post("/check", "code", "123456");
    HttpResponse<String> hello = user.get("/hello");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("wrong code");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(hello.body()).isEqualTo("hello");
    assertThat(tracker.calls).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void explicitMarkerWinsOverStatus(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    HttpResponse<String> r = user.post("/check", "code", "wrong", "marker", "verified");

    assertThat(r.statusCode()).isEqualTo(401);
    awaitCalls(sent(umid), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void asyncRequest_finishesThroughTheAsyncListener(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    HttpResponse<String> wrong = user.post("/async-check", "code", "wrong");
    HttpResponse<String> ok = user.post("/async-check", "code", sender.codeOf(umid));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("verified");
    awaitCalls(sent(umid), "wrongCode " + umid + " " + clock.instant(), verified(umid));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void garbageInTheSession_ignoredCountedResponseUnchanged(ServletContainer.Kind kind)
      throws Exception {
    SmsFeedbackFilter filter = new SmsFeedbackFilter(tracker, settings, clock);
    Browser user = start(kind, app(filter));
    try (LogCapture log = LogCapture.of("io.smsfeedback.servlet")) {
      for (String garbage : new String[] {"int", "text", "oversized"}) {
        HttpResponse<String> r = user.post("/garbage", "kind", garbage);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored");
        HttpResponse<String> check = user.post("/check", "code", "123456");
        assertThat(check.statusCode()).isEqualTo(401);
        assertThat(check.body()).isEqualTo("wrong code");
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(filter.stats().ignoredValues()).isEqualTo(3));
      assertThat(tracker.calls).isEmpty();
      assertThat(log.messages(Level.WARNING)).hasSize(3);
    }
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void twoInstancesRegistered_runOnce(ServletContainer.Kind kind) throws Exception {
    RecordingTracker second = new RecordingTracker();
    SmsFeedbackFilter inner = new SmsFeedbackFilter(second, settings, clock);
    Browser user =
        start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)).filter("again", inner));
    user.post("/send");
    String umid = sender.last();
    user.post("/check", "code", sender.codeOf(umid));

    awaitCalls(sent(umid), verified(umid));
    assertThat(second.calls).isEmpty();
    assertThat(inner.stats().requests()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void explicitRegistrationPlusInitializer_initializerStandsDown(ServletContainer.Kind kind)
      throws Exception {
    SmsFeedbackFilter explicit = new SmsFeedbackFilter(tracker, settings, clock);
    Browser user = start(kind, app(explicit).discoverInitializers());
    user.post("/send");
    String umid = sender.last();
    user.post("/check", "code", sender.codeOf(umid));

    awaitCalls(sent(umid), verified(umid));
    assertThat(container.servletContext().getFilterRegistrations()).containsOnlyKeys("smsFeedback");
    assertThat(SmsFeedbackFilter.find(container.servletContext())).isSameAs(explicit);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void disabled_passesThroughAndCreatesNothing(ServletContainer.Kind kind) throws Exception {
    WebApp app =
        TestApp.servlets(new WebApp(), sender)
            .param("sms.feedback.enabled", "false")
            .discoverInitializers();
    Browser user = start(kind, app);

    user.post("/send");
    HttpResponse<String> r = user.post("/check", "code", sender.codeOf(sender.last()));

    assertThat(r.statusCode()).isEqualTo(200);
    SmsFeedbackFilter auto = SmsFeedbackFilter.find(container.servletContext());
    assertThat(auto).isNotNull();
    assertThat(auto.isActive()).isFalse();
    assertThat(auto.stats().requests()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void invalidConfiguration_failsTheStartNamingTheProperty(ServletContainer.Kind kind) {
    assertStartFails(
        kind,
        TestApp.servlets(new WebApp(), sender)
            .param("sms.feedback.api-key", "k-1234567890")
            .param("sms.feedback.sub-account-id", "sub-1")
            .param("sms.feedback.verification.failure-location", "[error")
            .discoverInitializers(),
        "sms.feedback.verification.failure-location");
    assertStartFails(
        kind,
        TestApp.servlets(new WebApp(), sender)
            .param("sms.feedback.sub-account-id", "sub-1")
            .discoverInitializers(),
        "sms.feedback.api-key");
    assertStartFails(
        kind,
        TestApp.servlets(new WebApp(), sender)
            .param("sms.feedback.servlet.auto-register", "maybe")
            .discoverInitializers(),
        "sms.feedback.servlet.auto-register");
  }

  void assertStartFails(ServletContainer.Kind kind, WebApp app, String property) {
    try (LogCapture log = LogCapture.of("")) {
      container = kind.create();
      assertThatThrownBy(() -> container.start(app))
          .isInstanceOf(ServletContainer.StartFailed.class);
      assertThat(log.messages(Level.SEVERE))
          .anySatisfy(m -> assertThat(m).contains("invalid configuration").contains(property));
    }
    container = null;
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void autoRegisterOff_noFilter(ServletContainer.Kind kind) throws Exception {
    start(
        kind,
        TestApp.servlets(new WebApp(), sender)
            .param("sms.feedback.servlet.auto-register", "false")
            .discoverInitializers());

    assertThat(container.servletContext().getFilterRegistrations()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bridgeHook_beatsStatus_markerBeatsBridge(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, settings, clock)));
    user.post("/send");
    String umid = sender.last();

    HttpResponse<String> bridged = user.post("/check", "code", "wrong", "bridge", "verified");
    assertThat(bridged.statusCode()).isEqualTo(401);
    assertThat(bridged.headers().firstValue("X-Bridge-Bound")).hasValue("true");
    awaitCalls(sent(umid), verified(umid));

    user.post("/send");
    String second = sender.last();
    user.post("/check", "code", sender.codeOf(second), "bridge", "verified", "marker", "rejected");
    awaitCalls(
        sent(umid),
        verified(umid),
        sent(second),
        "wrongCode " + second + " " + clock.instant());
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bridgeHook_unboundWhenTheFilterIsDisabled(ServletContainer.Kind kind) throws Exception {
    FilterSettings off = settings.toBuilder().enabled(false).build();
    Browser user = start(kind, app(new SmsFeedbackFilter(tracker, off, clock)));

    HttpResponse<String> r = user.post("/check", "code", "x", "bridge", "verified");

    assertThat(r.headers().firstValue("X-Bridge-Bound")).hasValue("false");
  }
}
