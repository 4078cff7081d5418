package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smsfeedback.SentOtp;
import io.smsfeedback.SmsGuardedException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.insight.SendGuard;
import io.smsfeedback.spring.internal.GuardMeters;
import io.smsfeedback.spring.internal.GuardRefusals;
import io.smsfeedback.spring.internal.SettingsFailureAnalyzer;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The pumping alarm's properties, clock and listeners, and the send guard, in the starter's
 * context: {@code sms.feedback.alarm.*}, the {@value SmsFeedbackAutoConfiguration#INSIGHT_CLOCK}
 * bean, {@link AlarmListener} beans, {@code sms.feedback.guard.*}.
 */
class SendGuardAutoConfigurationTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SmsFeedbackAutoConfiguration.class, SmsSenderAutoConfiguration.class))
          .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID);

  /** {@code n} OTPs to {@code callingCode}, sent and abandoned now, straight into the statistics. */
  private static void abandoned(ConversionStats stats, String callingCode, int n, Instant now) {
    for (int i = 0; i < n; i++) {
      SentOtp otp = SentOtp.of("acme_otp", UUID.randomUUID().toString(), now);
      stats.destination(otp.umid(), callingCode);
      stats.tracked(otp);
      stats.decided(otp, TrackingState.ABANDONED, now);
    }
  }

  @Test
  void alarmProperties_theClockBean_andEveryListenerBean_reachTheAlarm() {
    runner
        .withUserConfiguration(ClockAndListeners.class)
        .withPropertyValues("sms.feedback.alarm.min-sample=5")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ConversionStats stats = context.getBean(ConversionStats.class);
              PumpingAlarm alarm = context.getBean(PumpingAlarm.class);
              ClockAndListeners.CLOCK.set(T0);
              // 10 outcomes: judged with min-sample 5 (the default 20 would wait); 0 of 10 has a
              // Wilson upper bound of 0.28, below 0.5 x the assumed 0.6.
              abandoned(stats, "7", 10, T0);
              alarm.check();
              assertThat(ClockAndListeners.RAISED)
                  .as("the second listener is told though the first throws")
                  .extracting(AlarmEvent::callingCode)
                  .containsExactly("7");
              assertThat(ClockAndListeners.CALLS).containsExactly("throwing", "recording");
            });
  }

  @Test
  void theClockBean_movesTheWindows() {
    runner
        .withUserConfiguration(ClockAndListeners.class)
        .withPropertyValues("sms.feedback.alarm.min-sample=5")
        .run(
            context -> {
              ClockAndListeners.CLOCK.set(T0);
              abandoned(context.getBean(ConversionStats.class), "7", 10, T0);
              ClockAndListeners.CLOCK.advance(Duration.ofHours(1)); // the 5 min window is empty
              context.getBean(PumpingAlarm.class).check();
              assertThat(ClockAndListeners.RAISED).isEmpty();
            });
  }

  @Test
  void anInvalidAlarmProperty_failsTheStart_namingIt() {
    runner
        .withPropertyValues("sms.feedback.alarm.drop-fraction=1.5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(analysis(context))
                  .contains("sms.feedback.alarm.drop-fraction must be in (0, 1): 1.5");
            });
    runner
        .withPropertyValues("sms.feedback.alarm.clear-after=10s")
        .run(context -> assertThat(analysis(context)).contains("sms.feedback.alarm.clear-after"));
  }

  @Test
  void byDefault_noGuard() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(GuardRefusals.class);
          assertThat(context.getBean(SmsSender.class)).isNotInstanceOf(SendGuard.class);
        });
  }

  @Test
  void withTheGuard_theSenderRefusesCountriesInAlarm_butTheAllowList_countingRefusals() {
    runner
        .withUserConfiguration(SettableAlarm.class)
        .withPropertyValues("sms.feedback.guard.enabled=true", "sms.feedback.guard.allow=44, 1")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SmsSender sender = context.getBean(SmsSender.class);
              assertThat(sender).isInstanceOf(SendGuard.class);
              assertThat(((SendGuard) sender).allowed()).containsExactly("1", "44");
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(GuardMeters.class).bindTo(registry);

              SettableAlarm.raise("65", "44");
              assertThatThrownBy(() -> sender.send("+6591234567", "code 1"))
                  .isInstanceOf(SmsGuardedException.class);
              assertThatThrownBy(() -> sender.send("+6591234568", "code 2"))
                  .isInstanceOf(SmsGuardedException.class);
              assertThat(((SendGuard) sender).refuses("44")).isFalse();

              assertThat(
                      registry.get(GuardMeters.REFUSED).tags("country", "65").functionCounter().count())
                  .isEqualTo(2.0);
              Map<String, Object> details = new LinkedHashMap<>();
              context.getBean(GuardRefusals.class).addTo(details);
              assertThat(details)
                  .containsEntry(
                      "sendGuard",
                      Map.of(
                          "enabled", true,
                          "allow", List.of("1", "44"),
                          "refusing", List.of("65"),
                          "refused", Map.of("65", 2L)));
            });
  }

  @Test
  void aBadAllowListEntry_failsTheStart_namingTheProperty() {
    runner
        .withPropertyValues("sms.feedback.guard.enabled=true", "sms.feedback.guard.allow=65,+44")
        .run(
            context ->
                assertThat(analysis(context))
                    .contains("sms.feedback.guard.allow: a calling code must be 1 to 3 digits")
                    .contains("'+44'"));
  }

  private static String analysis(AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as(String.valueOf(context.getStartupFailure())).isNotNull();
    return analysis.getDescription();
  }

  @Configuration(proxyBeanMethods = false)
  static class ClockAndListeners {
    static final ManualClock CLOCK = new ManualClock(T0);
    static final List<AlarmEvent> RAISED = new CopyOnWriteArrayList<>();
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    ClockAndListeners() {
      RAISED.clear();
      CALLS.clear();
    }

    @Bean(SmsFeedbackAutoConfiguration.INSIGHT_CLOCK)
    Clock insightClock() {
      return CLOCK;
    }

    @Bean
    @Order(1)
    AlarmListener throwing() {
      return new AlarmListener() {
        @Override
        public void raised(AlarmEvent event) {
          CALLS.add("throwing");
          throw new IllegalStateException("pager down");
        }
      };
    }

    @Bean
    @Order(2)
    AlarmListener recording() {
      return new AlarmListener() {
        @Override
        public void raised(AlarmEvent event) {
          CALLS.add("recording");
          RAISED.add(event);
        }
      };
    }
  }

  /** The application's own alarm, whose active countries the test sets. */
  @Configuration(proxyBeanMethods = false)
  static class SettableAlarm {
    static volatile List<AlarmEvent> active = List.of();

    SettableAlarm() {
      active = List.of();
    }

    static void raise(String... codes) {
      active =
          java.util.Arrays.stream(codes)
              .map(
                  c ->
                      new AlarmEvent(
                          c, AlarmEvent.Reason.CONVERSION_DROP, T0, 40, 40, 0, 0.09, 0.6))
              .toList();
    }

    @Bean
    PumpingAlarm myAlarm() {
      return new PumpingAlarm() {
        @Override
        public void check() {}

        @Override
        public List<AlarmEvent> active() {
          return active;
        }
      };
    }
  }
}
