package io.smsfeedback.spring.ott;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SmsSender;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import io.smsfeedback.spring.SmsSenderAutoConfiguration;
import io.smsfeedback.spring.internal.SettingsFailureAnalyzer;
import io.smsfeedback.spring.internal.ott.JdbcSmsCodeService;
import io.smsfeedback.spring.internal.ott.OneTimeTokenLoginPostProcessor;
import io.smsfeedback.spring.internal.ott.SmsCodeAuthenticationToken;
import io.smsfeedback.spring.internal.ott.SmsCodeGenerationSuccessHandler;
import io.smsfeedback.spring.internal.ott.SmsCodeService;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.InMemoryOneTimeTokenService;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;
import org.springframework.security.web.authentication.ott.RedirectOneTimeTokenGenerationSuccessHandler;

class SmsOneTimeTokenAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SmsFeedbackAutoConfiguration.class,
                  SmsSenderAutoConfiguration.class,
                  SmsOneTimeTokenAutoConfiguration.class))
          .withPropertyValues(
              "sms.feedback.api-key=test-key-0123456789",
              "sms.feedback.sub-account-id=acme_otp",
              "sms.feedback.base-url=http://127.0.0.1:9");

  @Configuration(proxyBeanMethods = false)
  static class PhoneNumbers {
    @Bean
    SmsPhoneNumbers phoneNumbers() {
      return username -> "+6512345678";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    @Bean
    OneTimeTokenService ownTokens() {
      return new InMemoryOneTimeTokenService();
    }

    @Bean
    OneTimeTokenGenerationSuccessHandler ownHandler() {
      return new RedirectOneTimeTokenGenerationSuccessHandler("/mine");
    }
  }

  @Test
  void withPhoneNumbers_providesTheTokenServiceAndTheSmsHandler() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SmsCodeService.class);
              assertThat(context).hasSingleBean(OneTimeTokenService.class);
              assertThat(context).hasSingleBean(SmsCodeGenerationSuccessHandler.class);
              assertThat(context).hasSingleBean(SmsSender.class);
              assertThat(context).hasSingleBean(OneTimeTokenLoginPostProcessor.class);
            });
  }

  @Test
  void withPhoneNumbers_wrongCodesEndTheOtpWhereTheLoginEndsTheCode() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .withPropertyValues("sms.feedback.ott.max-attempts=3")
        .run(
            context ->
                assertThat(context.getBean(FeedbackSettings.class).maxAttempts()).isEqualTo(3));
  }

  @Test
  void withPhoneNumbers_anExplicitMaxAttemptsStays() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .withPropertyValues("sms.feedback.max-attempts=0")
        .run(context -> assertThat(context.getBean(FeedbackSettings.class).maxAttempts()).isZero());
  }

  @Test
  void withoutPhoneNumbers_wrongCodesStayNonTerminalByDefault() {
    runner.run(
        context -> assertThat(context.getBean(FeedbackSettings.class).maxAttempts()).isZero());
  }

  @Test
  void withoutPhoneNumbers_staysOff() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(OneTimeTokenService.class);
          assertThat(context).doesNotHaveBean(OneTimeTokenGenerationSuccessHandler.class);
          assertThat(context).doesNotHaveBean(OneTimeTokenLoginPostProcessor.class);
        });
  }

  @Test
  void disabled_staysOff() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .withPropertyValues("sms.feedback.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(OneTimeTokenService.class));
  }

  @Test
  void withoutApiKey_staysOff() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                SmsFeedbackAutoConfiguration.class, SmsOneTimeTokenAutoConfiguration.class))
        .withUserConfiguration(PhoneNumbers.class)
        .withPropertyValues("sms.feedback.sub-account-id=acme_otp")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(OneTimeTokenService.class);
            });
  }

  @Test
  void withoutSpringSecurity_staysOff() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(SmsCodeService.class);
            });
  }

  @Test
  void applicationBeansWin() {
    runner
        .withUserConfiguration(PhoneNumbers.class, OwnBeans.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(OneTimeTokenService.class);
              assertThat(context.getBean(OneTimeTokenService.class))
                  .isInstanceOf(InMemoryOneTimeTokenService.class);
              assertThat(context).hasSingleBean(OneTimeTokenGenerationSuccessHandler.class);
              assertThat(context.getBean(OneTimeTokenGenerationSuccessHandler.class))
                  .isInstanceOf(RedirectOneTimeTokenGenerationSuccessHandler.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:ott" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return h2;
    }
  }

  @Test
  void storeJdbc_keepsTheCodesInATableOnTheDataSource() {
    runner
        .withUserConfiguration(PhoneNumbers.class, H2.class)
        .withPropertyValues("sms.feedback.store=jdbc", "sms.feedback.jdbc.initialize-schema=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(OneTimeTokenService.class);
              JdbcSmsCodeService codes = context.getBean(JdbcSmsCodeService.class);
              assertThat(codes.table()).isEqualTo("sms_feedback_ott_code");
              String code =
                  codes.generate(new GenerateOneTimeTokenRequest("alice")).getTokenValue();
              assertThat(codes.consume(new SmsCodeAuthenticationToken("alice", code))).isNotNull();
            });
  }

  @Test
  void storeMemoryWithADataSource_keepsTheCodesInMemory() {
    runner
        .withUserConfiguration(PhoneNumbers.class, H2.class)
        .run(context -> assertThat(context).hasSingleBean(SmsCodeService.class));
  }

  @Test
  void messageWithoutCode_failsTheStartNamingTheProperty() {
    runner
        .withUserConfiguration(PhoneNumbers.class)
        .withPropertyValues("sms.feedback.ott.message=Hello")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("sms.feedback.ott.message must contain {code}: 'Hello'");
            });
  }
}
