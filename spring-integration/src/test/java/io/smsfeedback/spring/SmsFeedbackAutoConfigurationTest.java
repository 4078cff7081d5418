package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Region;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.spring.internal.AuthenticationFilterDecorator;
import io.smsfeedback.spring.internal.FeedbackLifecycle;
import io.smsfeedback.spring.internal.Fakes;
import io.smsfeedback.spring.internal.FeedbackMeters;
import io.smsfeedback.spring.internal.SecurityEventBridge;
import io.smsfeedback.spring.internal.SettingsFailureAnalyzer;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.security.AbstractAuthenticationAuditListener;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;

@ExtendWith(OutputCaptureExtension.class)
class SmsFeedbackAutoConfigurationTest {

  static final String[] VALID = {
    "sms.feedback.api-key=test-key-0123456789",
    "sms.feedback.sub-account-id=acme_otp",
    "sms.feedback.base-url=http://127.0.0.1:9"
  };

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class));

  @Test
  void withoutApiKey_staysInactiveAndSaysSoOnceAtInfo(CapturedOutput output) {
    runner
        .withPropertyValues("sms.feedback.sub-account-id=acme_otp")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(FeedbackReporter.class);
              assertThat(context).doesNotHaveBean(ConversionTracker.class);
              assertThat(context).doesNotHaveBean(SmsFeedbackProperties.class);
            });
    assertThat(linesContaining(output, "sms-feedback is inactive"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("INFO")
                    .contains("sms.feedback.api-key")
                    .contains("SMS_FEEDBACK_API_KEY"));
  }

  @Test
  void blankApiKey_countsAsAbsent() {
    runner
        .withPropertyValues("sms.feedback.api-key=  ", "sms.feedback.sub-account-id=acme_otp")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FeedbackReporter.class));
  }

  @Test
  void enabledFalse_turnsItOff(CapturedOutput output) {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues("sms.feedback.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(FeedbackSettings.class)
                    .doesNotHaveBean(FeedbackReporter.class)
                    .doesNotHaveBean(ConversionTracker.class)
                    .doesNotHaveBean(FeedbackLifecycle.class));
    assertThat(output.getOut()).doesNotContain("sms-feedback is inactive");
  }

  @Test
  void withApiKey_createsTheComponents() {
    runner
        .withPropertyValues(VALID)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(FeedbackSettings.class);
              assertThat(context).hasSingleBean(FeedbackReporter.class);
              assertThat(context).hasSingleBean(ConversionTracker.class);
              assertThat(context).hasSingleBean(FeedbackLifecycle.class);
              assertThat(context).hasSingleBean(FeedbackMeters.class);
              assertThat(context).hasBean(SmsFeedbackAutoConfiguration.HEALTH_INDICATOR_NAME);
            });
  }

  @Test
  void healthIndicator_isTheOneOfTheRunningBootLine() {
    String expected =
        System.getProperty("sms.feedback.test.boot-line", "4.0").startsWith("4.")
            ? "Boot4FeedbackHealthIndicator"
            : "Boot3FeedbackHealthIndicator";
    runner
        .withPropertyValues(VALID)
        .run(
            context ->
                assertThat(context.getBean(SmsFeedbackAutoConfiguration.HEALTH_INDICATOR_NAME))
                    .extracting(bean -> bean.getClass().getSimpleName())
                    .isEqualTo(expected));
  }

  @Test
  void settings_comeFromTheProperties() {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues(
            "sms.feedback.region=EUROPE",
            "sms.feedback.queue-capacity=5",
            "sms.feedback.max-concurrent-requests=3",
            "sms.feedback.validity=12m",
            "sms.feedback.abandon-after=90s",
            "sms.feedback.retry.initial-backoff=100ms",
            "sms.feedback.retry.max-backoff=2s",
            "sms.feedback.connect-timeout=1s",
            "sms.feedback.response-timeout=3s",
            "sms.feedback.shutdown-timeout=0s",
            "sms.feedback.max-attempts=3",
            "sms.feedback.max-tracked=7")
        .run(
            context -> {
              FeedbackSettings s = context.getBean(FeedbackSettings.class);
              assertThat(s.apiKey()).isEqualTo("test-key-0123456789");
              assertThat(s.subAccountId()).isEqualTo("acme_otp");
              assertThat(s.region()).isEqualTo(Region.EUROPE);
              assertThat(s.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9"));
              assertThat(s.queueCapacity()).isEqualTo(5);
              assertThat(s.maxConcurrentRequests()).isEqualTo(3);
              assertThat(s.validity()).isEqualTo(Duration.ofMinutes(12));
              assertThat(s.abandonAfter()).isEqualTo(Duration.ofSeconds(90));
              assertThat(s.retryInitialBackoff()).isEqualTo(Duration.ofMillis(100));
              assertThat(s.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(2));
              assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
              assertThat(s.responseTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(s.shutdownTimeout()).isZero();
              assertThat(s.maxAttempts()).isEqualTo(3);
              assertThat(s.maxTracked()).isEqualTo(7);
            });
  }

  @Test
  void defaults_matchTheCore() {
    runner
        .withPropertyValues(VALID)
        .run(
            context -> {
              FeedbackSettings ours = context.getBean(FeedbackSettings.class);
              FeedbackSettings core =
                  FeedbackSettings.builder()
                      .apiKey("test-key-0123456789")
                      .subAccountId("acme_otp")
                      .baseUrl(URI.create("http://127.0.0.1:9"))
                      .build();
              assertThat(ours).hasToString(core.toString());
              assertThat(ours.region()).isEqualTo(core.region());
            });
  }

  @Test
  void invalidSetting_failsStartupNamingTheProperty() {
    assertStartupFails("sms.feedback.queue-capacity=-1", "sms.feedback.queue-capacity", "-1");
    assertStartupFails("sms.feedback.sub-account-id=a", "sms.feedback.sub-account-id");
    assertStartupFails("sms.feedback.validity=16m", "sms.feedback.validity");
    assertStartupFails("sms.feedback.abandon-after=15m", "sms.feedback.abandon-after");
    assertStartupFails("sms.feedback.base-url=http://example.com", "sms.feedback.base-url");
    assertStartupFails(
        "sms.feedback.retry.initial-backoff=1m", "sms.feedback.retry.initial-backoff");
  }

  @Test
  void missingSubAccount_failsStartupNamingTheProperty() {
    runner
        .withPropertyValues("sms.feedback.api-key=test-key-0123456789")
        .run(
            context ->
                assertThat(rootMessage(context))
                    .contains("sms.feedback.sub-account-id must be set"));
  }

  @Test
  void failureMessage_neverShowsTheKey() {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues("sms.feedback.queue-capacity=0")
        .run(
            context -> {
              assertThat(rootMessage(context)).doesNotContain("test-key-0123456789");
              assertThat(analysis(context)).doesNotContain("test-key-0123456789");
            });
  }

  @Test
  void backsOffToTheApplicationsOwnBeans() {
    runner
        .withPropertyValues(VALID)
        .withUserConfiguration(OwnSettings.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FeedbackSettings.class);
              assertThat(context.getBean(FeedbackSettings.class).queueCapacity()).isEqualTo(42);
              assertThat(context.getBean(FeedbackReporter.class).stats().accepted()).isZero();
            });
  }

  @Test
  void backsOffToTheApplicationsOwnReporterAndTracker() {
    runner
        .withPropertyValues(VALID)
        .withUserConfiguration(OwnComponents.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FeedbackReporter.class);
              assertThat(context).hasSingleBean(ConversionTracker.class);
              assertThat(context.getBean(FeedbackReporter.class))
                  .isSameAs(context.getBean("myReporter"));
              assertThat(context.getBean(ConversionTracker.class))
                  .isSameAs(context.getBean("myTracker"));
              assertThat(context).hasSingleBean(FeedbackLifecycle.class);
            });
    // The lifecycle drains first (then the context's destroy callbacks close again: idempotent).
    assertThat(OwnComponents.EVENTS).startsWith("tracker.close", "reporter.close");
  }

  @Test
  void worksWithoutSpringSecurity() {
    runner
        .withPropertyValues(VALID)
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .hasSingleBean(ConversionTracker.class));
  }

  @Test
  void worksWithoutActuator() {
    runner
        .withPropertyValues(VALID)
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.actuate", "org.springframework.boot.health"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .doesNotHaveBean(SmsFeedbackAutoConfiguration.HEALTH_INDICATOR_NAME));
  }

  @Test
  void worksWithoutMicrometer() {
    runner
        .withPropertyValues(VALID)
        .withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .doesNotHaveBean(FeedbackMeters.class));
  }

  @Test
  void filter_isRegisteredAfterSpringSessionAndBeforeSpringSecurity() {
    runner
        .withPropertyValues(VALID)
        .run(
            context -> {
              FilterRegistrationBean<?> registration = filterRegistration(context);
              assertThat(registration.getFilter()).isInstanceOf(SmsFeedbackFilter.class);
              assertThat(registration.getOrder())
                  .isEqualTo(-101)
                  .isGreaterThan(Integer.MIN_VALUE + 50)
                  .isLessThan(-100);
              assertThat(registration.getFilterName())
                  .isEqualTo(SmsFeedbackAutoConfiguration.FILTER_NAME)
                  .isNotEqualTo(SmsFeedbackFilter.DEFAULT_FILTER_NAME);
              assertThat(registration.getUrlPatterns()).containsExactly("/*");
              assertThat(registration.determineDispatcherTypes())
                  .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
              assertThat(registration.isAsyncSupported()).isTrue();
            });
  }

  @Test
  void filter_followsSpringSecurityFilterOrder() {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues("spring.security.filter.order=10")
        .run(context -> assertThat(filterRegistration(context).getOrder()).isEqualTo(9));
  }

  @Test
  void filter_orderProperty_wins() {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues("spring.security.filter.order=10", "sms.feedback.filter.order=-7")
        .run(context -> assertThat(filterRegistration(context).getOrder()).isEqualTo(-7));
  }

  @Test
  void filterSettings_comeFromTheProperties() {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues(
            "sms.feedback.session-attribute=otp.umid",
            "sms.feedback.verification.paths=/otp/verify,/mfa/*",
            "sms.feedback.verification.methods=POST",
            "sms.feedback.verification.failure-location=/wrong",
            "sms.feedback.verification.failure-statuses=400,401")
        .run(
            context -> {
              FilterSettings s = context.getBean(FilterSettings.class);
              assertThat(s.enabled()).isTrue();
              assertThat(s.subAccountId()).isEqualTo("acme_otp");
              assertThat(s.sessionAttribute()).isEqualTo("otp.umid");
              assertThat(s.verificationPaths()).containsExactly("/otp/verify", "/mfa/*");
              assertThat(s.verificationMethods()).containsExactly("POST");
              assertThat(s.failureLocation().pattern()).isEqualTo("/wrong");
              assertThat(s.failureStatuses()).containsExactly(400, 401);
            });
  }

  @Test
  void filterSettings_defaultsMatchTheFilter() {
    runner
        .withPropertyValues(VALID)
        .run(
            context -> {
              FilterSettings ours = context.getBean(FilterSettings.class);
              FilterSettings filter = FilterSettings.builder().subAccountId("acme_otp").build();
              assertThat(ours.sessionAttribute()).isEqualTo(filter.sessionAttribute());
              assertThat(ours.verificationPaths()).isEqualTo(filter.verificationPaths());
              assertThat(ours.verificationMethods()).isEqualTo(filter.verificationMethods());
              assertThat(ours.failureLocation().pattern())
                  .isEqualTo(filter.failureLocation().pattern());
              assertThat(ours.failureStatuses()).isEqualTo(filter.failureStatuses());
            });
  }

  @Test
  void invalidFilterSetting_failsStartupNamingTheProperty() {
    assertStartupFails(
        "sms.feedback.verification.paths=no-slash", "sms.feedback.verification.paths");
    assertStartupFails(
        "sms.feedback.verification.failure-location=[",
        "sms.feedback.verification.failure-location");
    assertStartupFails("sms.feedback.session-attribute=a b", "sms.feedback.session-attribute");
    assertStartupFails(
        "sms.feedback.verification.failure-statuses=500",
        "sms.feedback.verification.failure-statuses");
  }

  @Test
  void filter_backsOffToTheApplicationsOwnRegistration() {
    runner
        .withPropertyValues(VALID)
        .withUserConfiguration(OwnFilterRegistration.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FilterRegistrationBean.class);
              assertThat(filterRegistration(context).getFilterName()).isEqualTo("mine");
            });
  }

  @Test
  void notAWebApplication_noFilterNoBridgeButTheCoreComponents() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
        .withPropertyValues(VALID)
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .hasSingleBean(ConversionTracker.class)
                    .doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(SecurityEventBridge.class));
  }

  @Test
  void withoutServletApi_theCoreComponentsStillWork() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("jakarta.servlet", "io.smsfeedback.servlet"))
        .withPropertyValues(VALID)
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .hasSingleBean(ConversionTracker.class)
                    .hasSingleBean(FeedbackLifecycle.class));
  }

  @Test
  void securityBridge_onlyWithSpringSecurity() {
    runner
        .withPropertyValues(VALID)
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(SecurityEventBridge.class)
                    .hasSingleBean(AuthenticationFilterDecorator.class));
    runner
        .withPropertyValues(VALID)
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(SecurityEventBridge.class)
                    .doesNotHaveBean(AuthenticationFilterDecorator.class));
  }

  @Test
  void withoutTheServletModule_stillReportsButRegistersNoFilter() {
    runner
        .withPropertyValues(VALID)
        .withClassLoader(new FilteredClassLoader("io.smsfeedback.servlet"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(FeedbackReporter.class)
                    .doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(SecurityEventBridge.class));
  }

  @Test
  void neverReplacesBootsExecutorEventPublisherOrAuditListener() {
    WebApplicationContextRunner full =
        new WebApplicationContextRunner().withUserConfiguration(FullApp.class);
    Set<String> without = new TreeSet<>();
    full.withPropertyValues("sms.feedback.enabled=false")
        .run(context -> without.addAll(infrastructure(context)));
    full.withPropertyValues(VALID)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(FeedbackReporter.class);
              assertThat(infrastructure(context)).isEqualTo(without);
              assertThat(context.getBean(AuthenticationEventPublisher.class))
                  .isInstanceOf(DefaultAuthenticationEventPublisher.class);
              assertThat(context.getBeansOfType(AbstractAuthenticationAuditListener.class))
                  .hasSize(1)
                  .allSatisfy(
                      (name, listener) ->
                          assertThat(listener.getClass().getName())
                              .startsWith("org.springframework.boot."));
            });
    assertThat(without)
        .anyMatch(s -> s.startsWith("AuthenticationEventPublisher:"))
        .anyMatch(s -> s.startsWith("AbstractAuthenticationAuditListener:"));
  }

  private static Set<String> infrastructure(AssertableWebApplicationContext context) {
    Set<String> beans = new TreeSet<>();
    for (Class<?> type :
        new Class<?>[] {
          Executor.class,
          AuthenticationEventPublisher.class,
          AbstractAuthenticationAuditListener.class
        }) {
      context
          .getBeansOfType(type)
          .forEach(
              (name, bean) ->
                  beans.add(type.getSimpleName() + ":" + name + ":" + bean.getClass().getName()));
    }
    return beans;
  }

  private static FilterRegistrationBean<?> filterRegistration(
      AssertableWebApplicationContext context) {
    assertThat(context).hasSingleBean(FilterRegistrationBean.class);
    return context.getBean(FilterRegistrationBean.class);
  }

  private void assertStartupFails(String property, String... expected) {
    runner
        .withPropertyValues(VALID)
        .withPropertyValues(property)
        .run(
            context -> {
              assertThat(rootMessage(context)).as(property).contains(expected);
              assertThat(analysis(context)).as(property).contains(expected);
            });
  }

  /** The messages of the startup failure and all its causes, one per line. */
  private static String rootMessage(AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  /** What Spring Boot shows for the startup failure (our failure analyzer's description). */
  private static String analysis(AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).isNotNull();
    return analysis.getDescription() + "\n" + analysis.getAction();
  }

  private static List<String> linesContaining(CapturedOutput output, String text) {
    return Arrays.stream(output.getAll().split("\\R")).filter(l -> l.contains(text)).toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSettings {
    @Bean
    FeedbackSettings mySettings() {
      return FeedbackSettings.builder()
          .apiKey("own-key-0123456789")
          .subAccountId("own_account")
          .baseUrl(URI.create("http://127.0.0.1:9"))
          .queueCapacity(42)
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnComponents {
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Bean
    FeedbackReporter myReporter() {
      return new Fakes.Reporter(EVENTS);
    }

    @Bean
    ConversionTracker myTracker() {
      return new Fakes.Tracker(EVENTS);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilterRegistration {
    @Bean
    FilterRegistrationBean<SmsFeedbackFilter> myFilter(ConversionTracker tracker) {
      FilterRegistrationBean<SmsFeedbackFilter> registration =
          new FilterRegistrationBean<>(
              new SmsFeedbackFilter(
                  tracker, FilterSettings.builder().subAccountId("mine").build()));
      registration.setName("mine");
      return registration;
    }
  }

  /** Everything Spring Boot auto-configures from this test class path, plus an audit repository. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class FullApp {
    @Bean
    AuditEventRepository auditEventRepository() {
      return new InMemoryAuditEventRepository();
    }
  }
}
