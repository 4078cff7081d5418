package io.smsfeedback.samples.spring;

import io.smsfeedback.testkit.SmsApiSimulator;
import java.util.Map;
import org.springframework.beans.factory.aot.BeanRegistrationExcludeFilter;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Without {@code sms.feedback.api-key} (env {@code SMS_FEEDBACK_API_KEY}), starts the 8x8
 * simulator in-process, points {@code sms.feedback.base-url}, {@code api-key} and {@code
 * sub-account-id} at it (so both the SMS and the feedback go there), and registers it as the bean
 * {@code smsApiSimulator}, closed after everything else (the starter drains its queue first).
 * Registered in {@code META-INF/spring.factories}, so it also runs in {@code @SpringBootTest}.
 *
 * <p>Spring AOT generates no code for the simulator bean (listed in {@code
 * META-INF/spring/aot.factories}): an AOT-processed app runs this initializer at start as well,
 * which registers it again.
 */
public final class SimulatorInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext>,
        BeanRegistrationExcludeFilter {

  /** The subaccount the sample uses on the simulator. */
  public static final String SUB_ACCOUNT_ID = "demo-otp";

  static final String PROPERTY_SOURCE = "smsApiSimulator";

  static final String BEAN_NAME = "smsApiSimulator";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    String apiKey = env.getProperty("sms.feedback.api-key");
    if (apiKey != null && !apiKey.isBlank()) {
      return;
    }
    if (!(context instanceof GenericApplicationContext registry)) {
      throw new IllegalStateException("cannot register the simulator in " + context.getClass());
    }
    SmsApiSimulator simulator = SmsApiSimulator.start();
    env.getPropertySources()
        .addFirst(
            new MapPropertySource(
                PROPERTY_SOURCE,
                Map.of(
                    "sms.feedback.api-key", simulator.apiKey(),
                    "sms.feedback.base-url", simulator.baseUrl(),
                    "sms.feedback.sub-account-id", SUB_ACCOUNT_ID)));
    registry.registerBean(
        BEAN_NAME,
        SmsApiSimulator.class,
        () -> simulator,
        definition -> definition.setDestroyMethodName("close"));
  }

  @Override
  public boolean isExcludedFromAotProcessing(RegisteredBean registeredBean) {
    return registeredBean.getBeanName().equals(BEAN_NAME);
  }
}
