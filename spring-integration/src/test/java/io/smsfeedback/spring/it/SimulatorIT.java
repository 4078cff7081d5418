package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive an application over HTTP against the 8x8 simulator on loopback.
 *
 * <p>One simulator serves every subclass in the test JVM ({@link #SIM}, reset before each test once
 * the reporter has flushed). Each subclass gets its own application context, closed after the class
 * ({@code @DirtiesContext}), so no application of an earlier class is still running (its abandonment
 * scans, its retries) while a later class reads the simulator.
 */
@DirtiesContext
abstract class SimulatorIT {

  /** The simulator every subclass's application reports to; closed when the test JVM exits. */
  static final SmsApiSimulator SIM = SmsApiSimulator.start();

  static final Duration WAIT = Duration.ofSeconds(15);
  private static final Pattern OTT = Pattern.compile("code: (\\S+)");

  @Value("${local.server.port}")
  int port;

  @Autowired FeedbackReporter reporter;
  @Autowired ConversionTracker tracker;

  @DynamicPropertySource
  static void simulatorProperties(DynamicPropertyRegistry registry) {
    registry.add("sms.feedback.base-url", SIM::baseUrl);
    registry.add("sms.feedback.api-key", SIM::apiKey);
  }

  Browser browser() {
    return new Browser(port);
  }

  @BeforeEach
  void resetSimulator() {
    assertThat(reporter.flush(WAIT)).isTrue();
    SIM.reset();
  }

  /** Asks for an SMS code on the form-login flow; returns the message the simulator got. */
  SentMessage sendSmsCode(Browser browser) {
    int before = SIM.sentMessagesTo(OtpApp.PHONE).size();
    HttpResponse<String> r = browser.post("/sms/send", "phone", OtpApp.PHONE);
    assertThat(r.statusCode()).isEqualTo(200);
    List<SentMessage> sent = SIM.sentMessagesTo(OtpApp.PHONE);
    assertThat(sent).hasSize(before + 1);
    return sent.get(sent.size() - 1);
  }

  /** Asks for a one-time token by SMS; returns the message the simulator got. */
  SentMessage sendOneTimeToken(Browser browser, String username) {
    int before = SIM.sentMessagesTo(OtpApp.PHONE).size();
    HttpResponse<String> r = browser.post("/ott/generate", "username", username);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<SentMessage> sent = SIM.sentMessagesTo(OtpApp.PHONE);
    assertThat(sent).hasSize(before + 1);
    return sent.get(sent.size() - 1);
  }

  static String token(SentMessage message) {
    Matcher m = OTT.matcher(message.text());
    assertThat(m.find()).as(message.text()).isTrue();
    return m.group(1);
  }

  static String code(SentMessage message) {
    return message.code().orElseThrow();
  }

  static void assertRedirect(HttpResponse<String> r, String location) {
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith(location));
  }

  /** Waits until everything reported was delivered, then returns all feedback 8x8 got for umid. */
  List<ReceivedFeedback> feedbackFor(UUID umid) {
    SIM.awaitFeedback(umid, WAIT);
    assertThat(reporter.flush(WAIT)).isTrue();
    return SIM.receivedFeedback(umid);
  }

  static void assertOnly(List<ReceivedFeedback> feedback, String outcome) {
    assertThat(feedback).singleElement().satisfies(f -> assertThat(f.outcome()).isEqualTo(outcome));
  }
}
