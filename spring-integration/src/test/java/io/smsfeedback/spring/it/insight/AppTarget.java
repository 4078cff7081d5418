package io.smsfeedback.spring.it.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.smsfeedback.testkit.TrafficScenario;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@link OtpSendApp} as a {@link TrafficScenario.Target}: each user or bot is a {@link Browser}
 * (its own session) that asks for a code over HTTP and reads it from the simulator.
 */
public final class AppTarget implements TrafficScenario.Target {

  private final int port;
  private final SmsApiSimulator sim;

  public AppTarget(int port, SmsApiSimulator sim) {
    this.port = port;
    this.sim = sim;
  }

  private record User(Browser browser, String number) {}

  @Override
  public Object send(String number) {
    Browser browser = new Browser(port);
    int before = sim.sentMessagesTo(number).size();
    HttpResponse<String> r = browser.post("/otp/send", "phone", number);
    if (r.statusCode() == 200) {
      assertThat(r.body()).isEqualTo(OtpSendApp.REFUSED);
      assertThat(sim.sentMessagesTo(number)).as("refused: nothing sent").hasSize(before);
      return null;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    assertThat(sim.sentMessagesTo(number)).hasSize(before + 1);
    return new User(browser, number);
  }

  @Override
  public Object resend(Object handle, String number) {
    User u = (User) handle;
    HttpResponse<String> r = u.browser().post("/otp/send", "phone", number);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return u;
  }

  @Override
  public void verify(Object handle) {
    User u = (User) handle;
    List<SentMessage> sent = sim.sentMessagesTo(u.number());
    String code = sent.get(sent.size() - 1).text().replace("Your code is ", "");
    assertThat(Browser.location(u.browser().post("/otp/verify", "code", code))).isEqualTo("/home");
  }

  @Override
  public void wrongCode(Object handle) {
    User u = (User) handle;
    assertThat(Browser.location(u.browser().post("/otp/verify", "code", "wrong")))
        .isEqualTo("/otp?error");
  }
}
