package io.smsfeedback.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.SmsApiSimulator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

class SimulatorInitializerTest {

  @Test
  void withoutApiKey_startsTheSimulatorPointsFeedbackAtItAndClosesItWithTheContext() {
    SmsApiSimulator sim;
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      new SimulatorInitializer().initialize(context);
      context.refresh();
      sim = context.getBean(SmsApiSimulator.class);
      assertThat(sim.isRunning()).isTrue();
      assertThat(context.getEnvironment().getProperty("sms.feedback.base-url"))
          .isEqualTo(sim.baseUrl());
      assertThat(context.getEnvironment().getProperty("sms.feedback.api-key"))
          .isEqualTo(sim.apiKey());
      assertThat(context.getEnvironment().getProperty("sms.feedback.sub-account-id"))
          .isEqualTo(SimulatorInitializer.SUB_ACCOUNT_ID);
    }
    assertThat(sim.isRunning()).isFalse();
  }

  @Test
  void withApiKey_leavesEverythingToTheReal8x8() {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("user", Map.of("sms.feedback.api-key", "real-key")));
      new SimulatorInitializer().initialize(context);
      context.refresh();
      assertThat(context.getBeansOfType(SmsApiSimulator.class)).isEmpty();
      assertThat(context.getEnvironment().getPropertySources().contains(SimulatorInitializer.PROPERTY_SOURCE))
          .isFalse();
      assertThat(context.getEnvironment().getProperty("sms.feedback.api-key")).isEqualTo("real-key");
    }
  }
}
