package io.smsfeedback.spring.it;

import static io.smsfeedback.spring.it.SmsLoginIT.requestCode;
import static io.smsfeedback.spring.it.SmsLoginIT.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.ott.SmsLoginApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import java.net.http.HttpResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Conversion insight through the starter: OTPs sent by the starter's one-time-token handler
 * ({@code SmsFeedback.sendOtp}) to Singapore numbers, decided by the filter, read back from {@code
 * /actuator/smsfeedback} and {@code /actuator/metrics/sms.feedback.conversion} (behind the app's
 * own security: read by a signed-in user), on both Boot lines.
 */
@SpringBootTest(
    classes = SmsLoginApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "management.endpoints.web.exposure.include=health,metrics,smsfeedback",
      "management.endpoint.health.show-details=always"
    })
class ConversionInsightIT extends SimulatorIT {

  @Test
  void sendsAndOutcomes_showPerCountryInTheEndpointAndTheMetrics() {
    Browser alice = browser();
    SentMessage sms = requestCode(SIM, alice, "alice", SmsLoginApp.ALICE_PHONE);
    assertRedirect(submit(alice, code(sms)), "/");
    Browser bob = browser();
    SentMessage first = requestCode(SIM, bob, "bob", SmsLoginApp.BOB_PHONE);
    requestCode(SIM, bob, "bob", SmsLoginApp.BOB_PHONE); // supersedes the first
    assertOnly(feedbackFor(sms.umid()), "success");
    assertOnly(feedbackFor(first.umid()), "failure");

    HttpResponse<String> r = alice.get("/actuator/smsfeedback");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String hour = row(window(r.body(), "1h"), "65");
    assertThat(Json.scalar(hour, "sent")).isEqualTo("3");
    assertThat(Json.scalar(hour, "successes")).isEqualTo("1");
    assertThat(Json.scalar(hour, "superseded")).isEqualTo("1");
    assertThat(Json.scalar(hour, "abandoned")).isEqualTo("0");
    assertThat(Json.scalar(hour, "conversionRate")).isEqualTo("0.5");
    assertThat(window(r.body(), "1h")).doesNotContain("\"country\":\"unknown\"");
    assertThat(r.body()).contains("\"alarms\":[]");

    String metric = "/actuator/metrics/sms.feedback.conversion?tag=country:65&tag=window:1h";
    // A new country's gauges are registered when a scrape reads the total's (1 s snapshot cache):
    // read the whole name as a scrape does, until the country's series is there.
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(alice.get("/actuator/metrics/sms.feedback.conversion").statusCode())
                  .isEqualTo(200);
              HttpResponse<String> m = alice.get(metric + "&tag=outcome:sent");
              assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
              assertThat(Json.metricValue(m.body())).isEqualTo(3.0);
            });
    assertThat(Json.metricValue(alice.get(metric + "&tag=outcome:success").body())).isEqualTo(1.0);
    assertThat(Json.metricValue(alice.get(metric + "&tag=outcome:failure").body())).isEqualTo(1.0);
    assertThat(
            Json.metricValue(
                alice.get("/actuator/metrics/sms.feedback.alarm.active?tag=country:65").body()))
        .isZero();
    assertThat(alice.get("/actuator/health").body()).contains("\"pumpingAlarms\":[]");
  }

  @Test
  void endpoint_isBehindTheAppsSecurity() {
    HttpResponse<String> r = browser().get("/actuator/smsfeedback");
    assertThat(r.statusCode()).isNotEqualTo(200);
  }

  /** The part of the endpoint's JSON for one window. */
  private static String window(String json, String window) {
    int start = json.indexOf("\"window\":\"" + window + "\"");
    assertThat(start).as(json).isNotNegative();
    int end = json.indexOf("\"window\":", start + 1);
    return end < 0 ? json.substring(start) : json.substring(start, end);
  }

  /** One country's object in a window's part. */
  private static String row(String window, String country) {
    int start = window.indexOf("{\"country\":\"" + country + "\"");
    assertThat(start).as(window).isNotNegative();
    return window.substring(start, window.indexOf('}', start) + 1);
  }
}
