package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the application delivers the feedback still queued or in flight. */
class GracefulShutdownIT {

  private final SmsApiSimulator sim = SmsApiSimulator.start();

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  @Test
  void close_deliversQueuedFeedbackFirst() {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(OtpApp.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "sms.feedback.sub-account-id=acme_otp",
      "sms.feedback.security.code-authentications="
          + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
                "sms.feedback.shutdown-timeout=10s",
                "sms.feedback.base-url=" + sim.baseUrl(),
                "sms.feedback.api-key=" + sim.apiKey())
            .run();
    FeedbackReporter reporter = context.getBean(FeedbackReporter.class);
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    Browser browser = new Browser(port);
    browser.post("/sms/send", "phone", OtpApp.PHONE);
    SentMessage sms = sim.lastMessageTo(OtpApp.PHONE).orElseThrow();
    sim.enqueueFaults(Fault.latency(Duration.ofSeconds(3)));

    browser.post("/login", "username", OtpApp.PHONE, "password", sms.code().orElseThrow());
    assertThat(reporter.stats().delivered()).isZero();
    context.close();

    assertThat(sim.receivedFeedback(sms.umid()))
        .singleElement()
        .satisfies(f -> assertThat(f.outcome()).isEqualTo("success"));
    assertThat(reporter.stats().delivered()).isEqualTo(1);
    assertThat(reporter.stats().droppedShutdown()).isZero();
  }
}
