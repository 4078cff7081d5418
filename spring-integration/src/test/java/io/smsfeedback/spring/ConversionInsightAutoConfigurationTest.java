package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.spring.internal.ConversionInsight;
import io.smsfeedback.spring.internal.InsightMeters;
import io.smsfeedback.spring.internal.SmsFeedbackEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ConversionInsightAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
          .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID);

  @Test
  void createsStatsAlarmMetersAndEndpoint() {
    runner.run(
        context ->
            assertThat(context)
                .hasNotFailed()
                .hasSingleBean(ConversionStats.class)
                .hasSingleBean(PumpingAlarm.class)
                .hasSingleBean(ConversionInsight.class)
                .hasSingleBean(InsightMeters.class)
                .hasSingleBean(SmsFeedbackEndpoint.class));
  }

  @Test
  void theTrackersDecisionsFeedTheStatsBean_perNotedCountry() {
    runner.run(
        context -> {
          ConversionStats stats = context.getBean(ConversionStats.class);
          ConversionTracker tracker = context.getBean(ConversionTracker.class);
          UUID umid = UUID.randomUUID();
          stats.destination(umid, "65");
          SentOtp otp = SentOtp.of("acme_otp", umid.toString(), Instant.now());
          tracker.sent(otp);
          tracker.verified(otp, Instant.now());
          var sg = stats.snapshot().window(Duration.ofHours(1)).country("65");
          assertThat(sg.sent()).isEqualTo(1);
          assertThat(sg.successes()).isEqualTo(1);
        });
  }

  @Test
  void meters_showTheCountsPerCountryAndTheAlarmState() {
    runner.run(
        context -> {
          ConversionStats stats = context.getBean(ConversionStats.class);
          ConversionTracker tracker = context.getBean(ConversionTracker.class);
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(InsightMeters.class).bindTo(registry);
          UUID umid = UUID.randomUUID();
          stats.destination(umid, "44");
          tracker.sent(SentOtp.of("acme_otp", umid.toString(), Instant.now()));
          // Snapshots are cached for 1 s: the meters see the send once the cache is renewed.
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () -> assertThat(conversion(registry, "total", "1h", "sent")).isEqualTo(1.0));
          assertThat(conversion(registry, "44", "5m", "sent")).isEqualTo(1.0);
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () -> assertThat(counter(registry, "country", "44", "outcome", "sent")).isEqualTo(1.0));
          assertThat(counter(registry, "country", "total", "outcome", "success")).isZero();
          assertThat(gauge(registry, "sms.feedback.alarm.active", "country", "44")).isZero();
        });
  }

  private static double conversion(
      SimpleMeterRegistry registry, String country, String window, String outcome) {
    return gauge(
        registry, "sms.feedback.conversion", "country", country, "window", window, "outcome", outcome);
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private static double counter(SimpleMeterRegistry registry, String... tags) {
    return registry.get("sms.feedback.conversion.outcomes").tags(tags).functionCounter().count();
  }

  @Test
  void healthDetails_listThePumpingAlarms() {
    runner.run(
        context -> {
          Map<String, Object> details = new LinkedHashMap<>();
          context.getBean(ConversionInsight.class).addTo(details);
          assertThat(details).containsEntry("pumpingAlarms", java.util.List.of());
        });
  }

  @Test
  void theApplicationsOwnStatsAndAlarmWin() {
    runner
        .withUserConfiguration(OwnInsight.class)
        .run(
            context -> {
              assertThat(context.getBean(ConversionStats.class)).isSameAs(OwnInsight.STATS);
              assertThat(context.getBean(PumpingAlarm.class)).isSameAs(OwnInsight.ALARM);
              assertThat(context.getBean(SmsFeedbackEndpoint.class).insight())
                  .containsKey("windows");
            });
  }

  @Test
  void withoutMicrometerOrActuator_noMetersNoEndpointButStats() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "io.micrometer", "org.springframework.boot.actuate", "org.springframework.boot.health"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ConversionStats.class)
                    .doesNotHaveBean(InsightMeters.class)
                    .doesNotHaveBean(SmsFeedbackEndpoint.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnInsight {
    static final ConversionStats STATS = ConversionStats.builder().maxCountries(3).build();
    static final PumpingAlarm ALARM = PumpingAlarm.create(STATS);

    @Bean
    ConversionStats myStats() {
      return STATS;
    }

    @Bean
    PumpingAlarm myAlarm() {
      return ALARM;
    }
  }
}
