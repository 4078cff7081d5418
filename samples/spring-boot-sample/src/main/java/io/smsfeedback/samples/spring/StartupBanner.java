package io.smsfeedback.samples.spring;

import io.smsfeedback.testkit.SmsApiSimulator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints where to go and how to sign in once the app is up. */
@Component
class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

  private final Environment env;
  private final ObjectProvider<SmsApiSimulator> simulator;
  private final DemoUsers users;

  StartupBanner(Environment env, ObjectProvider<SmsApiSimulator> simulator, DemoUsers users) {
    this.env = env;
    this.simulator = simulator;
    this.users = users;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    String url = "http://localhost:" + env.getProperty("local.server.port", "8080") + "/";
    SmsApiSimulator sim = simulator.getIfAvailable();
    String eightByEight =
        sim != null
            ? "the 8x8 simulator at " + sim.baseUrl() + " (no SMS_FEEDBACK_API_KEY set)"
            : "the real 8x8; SMS go to " + users.alicePhone();
    System.out.println(
        "\n"
            + "sms-feedback Spring Boot sample is running on "
            + eightByEight
            + ".\n"
            + "  Open "
            + url
            + " and sign in as "
            + DemoUsers.USERNAME
            + " / "
            + DemoUsers.PASSWORD
            + "\n"
            + "  The phone's inbox and the feedback 8x8 received: "
            + url
            + "demo\n"
            + "  Ctrl-C stops it.\n");
  }
}
