package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.spring.it.insight.AppTarget;
import io.smsfeedback.spring.it.insight.OtpSendApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.TrafficScenario;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A pumping attack through the starter, end to end: the testkit's {@link TrafficScenario} drives
 * honest users (Singapore, UK) and bots (calling code 7) over HTTP through {@link OtpSendApp}, which
 * sends with the starter's sender to the simulator; the alarm is read where an operator reads it:
 * health details, the {@code sms.feedback.alarm.active} gauge and {@code /actuator/smsfeedback}.
 * and the picture ({@code /actuator/smsfeedback/page/5m}) marks it. Then the statistics' clock
 * moves past the calm time and the alarm clears by itself.
 */
@SpringBootTest(
    classes = OtpSendApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.verification.paths=/otp/verify",
      "management.endpoints.web.exposure.include=health,metrics,smsfeedback",
      "management.endpoint.health.show-details=always"
    })
class PumpingScenarioIT extends SimulatorIT {

  @Autowired PumpingAlarm alarm;

  @Test
  void aPumpingBurst_raisesTheAlarm_inHealthMetricsAndTheEndpoint_andItClearsByItself() {
    TrafficScenario.Result traffic =
        runScenario(
            TrafficScenario.builder(17).honest("65", 30).honest("44", 20).pumping("7", 40).build());
    assertThat(traffic.sends("7")).isEqualTo(40);
    assertThat(traffic.verified("65")).isGreaterThan(20);

    alarm.check(); // the starter checks every 30 s; the test does not wait for it
    assertThat(alarm.active())
        .extracting(AlarmEvent::callingCode)
        .as("the bots' country only, not the honest ones")
        .containsExactly("7");
    assertThat(alarm.active().get(0).reason()).isEqualTo(AlarmEvent.Reason.SEND_SURGE);

    Browser operator = browser();
    assertThat(operator.get("/actuator/health").body())
        .contains("\"pumpingAlarms\":[{\"country\":\"7\",\"reason\":\"SEND_SURGE\"");
    HttpResponse<String> insight = operator.get("/actuator/smsfeedback");
    assertThat(insight.statusCode()).isEqualTo(200);
    assertThat(insight.body()).contains("\"alarms\":[{\"country\":\"7\"");
    assertThat(alarmGauge(operator, "7")).isEqualTo(1.0);
    assertThat(alarmGauge(operator, "65")).isZero();

    HttpResponse<String> page = operator.get("/actuator/smsfeedback/page/5m");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body())
        .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'")
        .contains("<svg", "data-country=\"65\"", "data-country=\"44\"")
        .contains("<rect class=\"alarm\" data-country=\"7\"")
        .doesNotContain("<rect class=\"alarm\" data-country=\"65\"", "<script", "style=");
    assertThat(operator.get("/actuator/smsfeedback/page").body()).contains("OTP conversion per country, last 1h");
    assertThat(operator.get("/actuator/smsfeedback/page/7m").statusCode()).isEqualTo(404);
    assertThat(operator.get("/actuator/smsfeedback/pages").statusCode()).isEqualTo(404);

    OtpSendApp.CLOCK.advance(Duration.ofMinutes(11)); // no sign for longer than clear-after (10m)
    alarm.check();
    assertThat(alarm.active()).isEmpty();
    assertThat(operator.get("/actuator/health").body()).contains("\"pumpingAlarms\":[]");
    assertThat(alarmGauge(operator, "7")).isZero();
    assertThat(operator.get("/actuator/smsfeedback/page/1h").body())
        .contains("No pumping alarm.")
        .contains("alarm +7 (cleared)");
  }

  TrafficScenario.Result runScenario(TrafficScenario scenario) {
    try {
      return scenario.run(new AppTarget(port, SIM));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The alarm gauge of {@code country}. A country's gauges are registered when a scrape reads the
   * statistics (1 s snapshot cache): read the whole name as a scrape does, until the series is
   * there and shows what the alarm says.
   */
  static double alarmGauge(Browser browser, String country) {
    double[] value = new double[1];
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(browser.get("/actuator/metrics/sms.feedback.conversion").statusCode())
                  .isEqualTo(200);
              HttpResponse<String> m =
                  browser.get("/actuator/metrics/sms.feedback.alarm.active?tag=country:" + country);
              assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
              value[0] = Json.metricValue(m.body());
            });
    return value[0];
  }
}
