package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.spring.it.insight.AppTarget;
import io.smsfeedback.spring.it.insight.OtpSendApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.TrafficScenario;
import java.net.http.HttpResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The send guard, turned on with one property: while calling codes 7 and 44 are in alarm, the
 * starter's sender refuses sends to 7 (the app answers with another method, never a 500), counts
 * each refusal (health details, {@code sms.feedback.guard.refused}), and still sends to 44, which is
 * on the allow-list, and to honest Singapore.
 */
@SpringBootTest(
    classes = OtpSendApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.verification.paths=/otp/verify",
      "sms.feedback.guard.enabled=true",
      "sms.feedback.guard.allow=44",
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always"
    })
class SendGuardIT extends SimulatorIT {

  @Autowired PumpingAlarm alarm;

  @Test
  void countriesInAlarm_areRefusedAndCounted_theAllowListStillSends() throws Exception {
    AppTarget app = new AppTarget(port, SIM);
    TrafficScenario attack =
        TrafficScenario.builder(23).honest("65", 20).pumping("7", 30).pumping("44", 30).build();
    assertThat(attack.run(app).refused("7")).as("no alarm yet: all sent").isZero();
    alarm.check();
    assertThat(alarm.active())
        .extracting(AlarmEvent::callingCode)
        .containsExactlyInAnyOrder("7", "44");

    TrafficScenario.Result more =
        TrafficScenario.builder(29)
            .honest("65", 10)
            .pumping("7", 10)
            .pumping("44", 10)
            .build()
            .run(app);
    assertThat(more.refused("7")).isEqualTo(10);
    assertThat(more.refused("44")).as("allow-listed").isZero();
    assertThat(more.refused("65")).as("not in alarm").isZero();

    Browser operator = browser();
    assertThat(operator.get("/actuator/health").body())
        .contains(
            "\"sendGuard\":{\"enabled\":true,\"allow\":[\"44\"],\"refusing\":[\"7\"],"
                + "\"refused\":{\"7\":10}}");
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HttpResponse<String> m =
                  operator.get("/actuator/metrics/sms.feedback.guard.refused?tag=country:7");
              assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
              assertThat(Json.metricValue(m.body())).isEqualTo(10.0);
            });
  }
}
