package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.context.WebApplicationContext;

/** The Spring Security flows of {@link OtpApp}, each ending in exactly the expected outcomes. */
@SpringBootTest(
    classes = OtpApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.security.code-authentications="
          + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always"
    })
class FlowsIT extends SimulatorIT {

  @Test
  void filter_isRegisteredOnceInTheContainer(@Autowired WebApplicationContext context) {
    assertThat(context.getServletContext().getFilterRegistrations().values())
        .filteredOn(r -> SmsFeedbackFilter.class.getName().equals(r.getClassName()))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getName()).isEqualTo(SmsFeedbackAutoConfiguration.FILTER_NAME));
  }

  @Test
  void formLogin_rightCode_reportsSuccessOnceWithTheLoginTime() {
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    String session = browser.cookie("JSESSIONID");
    Instant before = Instant.now();
    HttpResponse<String> login =
        browser.post("/login", "username", OtpApp.PHONE, "password", code(sms));
    Instant after = Instant.now();
    assertRedirect(login, "/");
    assertThat(browser.cookie("JSESSIONID"))
        .as("sessionFixation().newSession()")
        .isNotNull()
        .isNotEqualTo(session);

    var feedback = feedbackFor(sms.umid());
    assertOnly(feedback, "success");
    assertThat(feedback.get(0).actedAt())
        .hasValueSatisfying(t -> assertThat(t).isBetween(before.minusMillis(1), after));
    assertThat(browser.get("/").body()).isEqualTo("hello " + OtpApp.PHONE);
  }

  @Test
  void formLogin_wrongCodeThenRightCode_countsAnAttemptAndReportsSuccess() {
    Browser browser = browser();
    SentMessage sms = sendSmsCode(browser);
    long wrongCodes = tracker.stats().wrongCodes();

    assertRedirect(
        browser.post("/login", "username", OtpApp.PHONE, "password", "000000x"), "/login?error");
    assertThat(tracker.stats().wrongCodes()).isEqualTo(wrongCodes + 1);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");

    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void formLogin_resend_reportsFailureForTheReplacedCode() {
    Browser browser = browser();
    SentMessage first = sendSmsCode(browser);
    SentMessage second = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(second)), "/");

    assertOnly(feedbackFor(first.umid()), "failure");
    assertOnly(feedbackFor(second.umid()), "success");
    assertThat(SIM.receivedFeedback()).hasSize(2);
  }

  @Test
  void oneTimeToken_rightToken_reportsSuccess() {
    Browser browser = browser();
    SentMessage sms = sendOneTimeToken(browser, "alice");
    assertRedirect(browser.post("/login/ott", "token", token(sms)), "/");

    assertOnly(feedbackFor(sms.umid()), "success");
    assertThat(browser.get("/").body()).isEqualTo("hello alice");
  }

  @Test
  void oneTimeToken_wrongTokenThenRightToken_countsAnAttemptAndReportsSuccess() {
    Browser browser = browser();
    SentMessage sms = sendOneTimeToken(browser, "alice");
    long wrongCodes = tracker.stats().wrongCodes();

    assertRedirect(browser.post("/login/ott", "token", "not-the-token"), "/login?error");
    assertThat(tracker.stats().wrongCodes()).isEqualTo(wrongCodes + 1);
    assertRedirect(browser.post("/login/ott", "token", token(sms)), "/");

    assertOnly(feedbackFor(sms.umid()), "success");
  }

  @Test
  void passwordLogin_withoutPendingCode_reportsNothing() {
    Browser browser = browser();
    assertRedirect(browser.post("/login", "username", "alice", "password", "password"), "/");
    assertThat(reporter.flush(WAIT)).isTrue();
    assertThat(SIM.receivedFeedback()).isEmpty();
  }

  @Test
  void metricsAndHealth_showTheNumbers() {
    Browser browser = browser();
    String successDelivered =
        "/actuator/metrics/sms.feedback.reports?tag=outcome:success&tag=result:delivered";
    String attempts2xx = "/actuator/metrics/sms.feedback.attempts?tag=status:2xx";
    double before = metric(browser, successDelivered);
    double attemptsBefore = metric(browser, attempts2xx);

    SentMessage sms = sendSmsCode(browser);
    assertRedirect(browser.post("/login", "username", OtpApp.PHONE, "password", code(sms)), "/");
    assertOnly(feedbackFor(sms.umid()), "success");

    assertThat(metric(browser, successDelivered)).isEqualTo(before + 1);
    assertThat(metric(browser, attempts2xx)).isEqualTo(attemptsBefore + 1);
    assertThat(Json.scalar(browser.get("/actuator/metrics/sms.feedback.delivery").body(), "value"))
        .isNotBlank();
    assertThat(Json.metricValue(browser.get("/actuator/metrics/sms.feedback.queue.size").body()))
        .isZero();
    assertThat(Json.metricValue(browser.get("/actuator/metrics/sms.feedback.tracked").body()))
        .isEqualTo(tracker.stats().tracked());

    HttpResponse<String> health = browser.get("/actuator/health/smsFeedback");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Json.string(health.body(), "status")).isEqualTo("UP");
    assertThat(Json.scalar(health.body(), "delivered"))
        .isEqualTo(String.valueOf(reporter.stats().delivered()));
    assertThat(Json.scalar(health.body(), "authFailing")).isEqualTo("false");
    assertThat(health.body()).doesNotContain(sms.umid().toString()).doesNotContain(SIM.apiKey());
  }

  /** A meter's value; 0 if it does not exist yet (counters of a tag appear on first use). */
  private static double metric(Browser browser, String path) {
    HttpResponse<String> r = browser.get(path);
    return r.statusCode() == 404 ? 0 : Json.metricValue(r.body());
  }
}
