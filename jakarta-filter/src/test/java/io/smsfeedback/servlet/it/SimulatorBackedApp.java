package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the container tests against the 8x8 simulator share: a simulator per test, the {@link
 * TestApp} configured by context-params with the jar's initializer, and the SMS the app sent.
 */
abstract class SimulatorBackedApp {

  static final String SUB = "AcmeOTP";

  SmsApiSimulator simulator;
  ServletContainer container;

  @BeforeEach
  void startSimulator() {
    simulator = SmsApiSimulator.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (container != null) {
      container.close();
    }
    simulator.close();
  }

  /** The app with the jar on its class path, configured by context-params like a web.xml would. */
  WebApp app(String verificationPaths) {
    return TestApp.servlets(new WebApp(), new SimulatorSender(simulator, SUB))
        .param("sms.feedback.api-key", simulator.apiKey())
        .param("sms.feedback.sub-account-id", SUB)
        .param("sms.feedback.base-url", simulator.baseUrl())
        .param("sms.feedback.verification.paths", verificationPaths)
        .param("sms.feedback.shutdown-timeout", "2s")
        .discoverInitializers();
  }

  Browser start(ServletContainer c, WebApp app) throws Exception {
    container = c;
    container.start(app);
    return new Browser(container.baseUri());
  }

  SmsFeedbackFilter filter() {
    SmsFeedbackFilter f = SmsFeedbackFilter.find(container.servletContext());
    assertThat(f).isNotNull();
    return f;
  }

  UUID lastUmid() {
    List<SentMessage> sent = simulator.sentMessages();
    return sent.get(sent.size() - 1).umid();
  }

  String codeOf(UUID umid) {
    return simulator.sentMessages().stream()
        .filter(m -> m.umid().equals(umid))
        .findFirst()
        .flatMap(SentMessage::code)
        .orElseThrow();
  }
}
