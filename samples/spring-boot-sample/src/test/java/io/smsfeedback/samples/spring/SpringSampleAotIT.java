package io.smsfeedback.samples.spring;

import static io.smsfeedback.testkit.Browser.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.smsfeedback.spring.internal.ott.UsernameBindingConverter;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationFilter;

/**
 * The Spring Boot sample started the way an AOT-processed app (and a native image) starts: with
 * {@code -Dspring.aot.enabled=true}, from the code {@code spring-boot:process-aot} generated, no
 * configuration class parsed and no condition evaluated at run time. Runs with {@code -Paot}
 * (samples/spring-boot-sample/pom.xml), which generates that code first and sets {@value #AOT_RUN};
 * skipped without it.
 */
class SpringSampleAotIT {

  static final String AOT_RUN = "sms.feedback.test.aot";

  private static final String PHONE = "+6512345678";

  private static final String HINTS =
      "META-INF/native-image/io.smsfeedback/sms-feedback-spring-boot-sample/";

  @BeforeEach
  void onlyUnderTheAotProfile() {
    assumeThat(Boolean.getBoolean(AOT_RUN)).as("runs with -Paot").isTrue();
  }

  @Test
  void sampleStartedFromGeneratedCode_reportsAVerifiedCodeAsSuccess() throws Exception {
    assertThat(AotDetector.useGeneratedArtifacts()).as("-Dspring.aot.enabled=true").isTrue();
    SpringApplication application = new SpringApplication(SpringSampleApplication.class);
    // Names the generated initializer (SpringSampleApplication__ApplicationContextInitializer).
    application.setMainApplicationClass(SpringSampleApplication.class);
    try (ConfigurableApplicationContext app = application.run("--server.port=0")) {
      // The starter's beans come from the generated initializer (an instance supplier per bean),
      // not from its @AutoConfiguration class read at run time.
      RootBeanDefinition reporter =
          (RootBeanDefinition) app.getBeanFactory().getMergedBeanDefinition("smsFeedbackReporter");
      assertThat(reporter.getInstanceSupplier()).isNotNull();
      assertThat(app.getBean(FeedbackReporter.class)).isNotNull();

      // The starter's SMS one-time-token login, from generated code too: its post-processor
      // wrapped the code filter's converter, which it reads from a private field (the hint for
      // that field is checked in the generated metadata below).
      assertThat(
              ((RootBeanDefinition)
                      app.getBeanFactory()
                          .getMergedBeanDefinition("smsFeedbackOneTimeTokenLoginPostProcessor"))
                  .getInstanceSupplier())
          .isNotNull();
      assertThat(converterOf(oneTimeTokenFilter(app))).isInstanceOf(UsernameBindingConverter.class);

      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      SmsApiSimulator sim = app.getBean(SmsApiSimulator.class);
      Browser alice = new Browser(URI.create("http://localhost:" + port + "/"));
      assertThat(location(alice.submit("login", "login", "username", "alice", "password", "password")))
          .endsWith("/otp");
      await().atMost(Duration.ofSeconds(5)).until(() -> !sim.sentMessagesTo(PHONE).isEmpty());
      List<SentMessage> inbox = sim.sentMessagesTo(PHONE);
      assertThat(inbox).hasSize(1);
      SentMessage sms = inbox.get(0);

      assertThat(alice.submit("otp", "login/ott", "token", sms.code().orElseThrow()).statusCode())
          .isEqualTo(302);
      assertThat(sim.awaitFeedback(sms.umid(), Duration.ofSeconds(10)).outcome())
          .isEqualTo("success");
      sim.assertNoDuplicates();
      assertThat(alice.get("actuator/health/smsFeedback").body()).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void generatedNativeImageMetadata_carriesTheStartersHints() throws Exception {
    String metadata = generatedMetadata().replace("\\/", "/");
    assertThat(metadata)
        .contains("\"io.smsfeedback.SentOtp\"")
        .contains("\"io.smsfeedback.spring.internal.SettingsFailureAnalyzer\"")
        .contains("\"io/smsfeedback/internal/transport/version.properties\"")
        .contains("\"io/smsfeedback/jdbc/schema-*.sql\"")
        // sms-feedback-jdbc is not on the sample's class path: no hint for its class.
        .doesNotContain("io.smsfeedback.jdbc.JdbcTrackingStore");
  }

  @Test
  void generatedNativeImageMetadata_letsTheOneTimeTokenPostProcessorReadTheConverterField()
      throws Exception {
    // The filter's entry ({"type": ..., "fields": [{"name": ...}]}), before the next type's.
    Pattern converterField =
        Pattern.compile(
            "\"type\"\\s*:\\s*\""
                + Pattern.quote(AbstractAuthenticationProcessingFilter.class.getName())
                + "\"(?:(?!\"type\").)*?\"fields\"\\s*:\\s*\\[[^\\]]*"
                + "\"name\"\\s*:\\s*\"authenticationConverter\"",
            Pattern.DOTALL);
    assertThat(converterField.matcher(generatedMetadata()).find())
        .as("a field hint for %s.authenticationConverter", AbstractAuthenticationProcessingFilter.class.getName())
        .isTrue();
  }

  private static OneTimeTokenAuthenticationFilter oneTimeTokenFilter(ConfigurableApplicationContext app) {
    return app.getBeansOfType(SecurityFilterChain.class).values().stream()
        .flatMap(chain -> chain.getFilters().stream())
        .filter(OneTimeTokenAuthenticationFilter.class::isInstance)
        .map(OneTimeTokenAuthenticationFilter.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** The filter's converter, read as the starter's post-processor reads it. */
  private static Object converterOf(OneTimeTokenAuthenticationFilter filter) throws Exception {
    Field field =
        AbstractAuthenticationProcessingFilter.class.getDeclaredField("authenticationConverter");
    field.setAccessible(true);
    return field.get(filter);
  }

  /** What process-aot (and process-test-aot) wrote for GraalVM's native-image. */
  private static String generatedMetadata() throws Exception {
    StringBuilder all = new StringBuilder();
    Enumeration<URL> files =
        SpringSampleAotIT.class.getClassLoader().getResources(HINTS + "reachability-metadata.json");
    for (URL file : Collections.list(files)) {
      try (InputStream in = file.openStream()) {
        all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(all).as("generated metadata under " + HINTS).isNotEmpty();
    return all.toString();
  }
}
