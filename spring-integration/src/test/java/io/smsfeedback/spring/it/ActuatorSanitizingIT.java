package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Actuator's {@code configprops} and {@code env} endpoints, told to show values, mask the API key:
 * set as {@code sms.feedback.api-key} and as the environment variable {@code SMS_FEEDBACK_API_KEY}.
 * Runs on the Boot line of the build (4.0, or 3.5 with {@code -Pboot3}).
 */
class ActuatorSanitizingIT {

  private static final String PROPERTY_KEY = "property-key-0123456789abcdef";
  private static final String ENV_KEY = "environment-key-fedcba9876543210";

  private static ConfigurableApplicationContext context;
  private static Browser browser;

  @BeforeAll
  static void start() {
    // The process's environment, plus SMS_FEEDBACK_API_KEY, as Spring sees environment variables.
    StandardEnvironment environment = new StandardEnvironment();
    Map<String, Object> variables = new HashMap<>(environment.getSystemEnvironment());
    variables.put("SMS_FEEDBACK_API_KEY", ENV_KEY);
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    context =
        new SpringApplicationBuilder(OtpApp.class)
            .environment(environment)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "sms.feedback.sub-account-id=acme_otp",
                "sms.feedback.base-url=http://127.0.0.1:1",
                "sms.feedback.api-key=" + PROPERTY_KEY,
                "management.endpoints.web.exposure.include=configprops,env",
                "management.endpoint.configprops.show-values=always",
                "management.endpoint.env.show-values=always")
            .run();
    browser = new Browser(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void configprops_masksApiKeyButShowsOtherValues() {
    String body = okBody("/actuator/configprops");
    assertThat(body).contains("acme_otp").contains("apiKey").contains("******");
    assertThat(body).doesNotContain(PROPERTY_KEY).doesNotContain(ENV_KEY);
  }

  @Test
  void env_masksApiKeyPropertyAndEnvironmentVariable() {
    String body = okBody("/actuator/env");
    assertThat(body)
        .contains("acme_otp")
        .contains("sms.feedback.api-key")
        .contains("SMS_FEEDBACK_API_KEY")
        .contains("******");
    assertThat(body).doesNotContain(PROPERTY_KEY).doesNotContain(ENV_KEY);
  }

  @Test
  void envEntry_masksEnvironmentVariable() {
    String body = okBody("/actuator/env/SMS_FEEDBACK_API_KEY");
    assertThat(body).contains("******").doesNotContain(ENV_KEY);
  }

  private static String okBody(String path) {
    HttpResponse<String> response = browser.get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }
}
