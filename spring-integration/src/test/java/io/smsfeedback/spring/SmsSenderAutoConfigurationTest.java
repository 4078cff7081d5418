package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.SmsSender;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SentSms;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SmsSenderAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SmsFeedbackAutoConfiguration.class, SmsSenderAutoConfiguration.class))
          .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID);

  @Test
  void withTheStarterActive_aSenderOnItsSettings_boundForSendOtp() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(SmsSender.class);
          assertThat(context.getBean(SmsSender.class).subAccountId()).isEqualTo("acme_otp");
          assertThat(context.getBean(SmsSender.class).toString())
              .doesNotContain("test-key-0123456789");
          assertThat(context).hasBean("smsFeedbackSenderBinding");
        });
  }

  @Test
  void theSenderIsClosedWithTheContext() {
    SmsSender[] sender = new SmsSender[1];
    runner.run(context -> sender[0] = context.getBean(SmsSender.class));

    assertThat(sender[0].toString()).contains("closed");
  }

  @Test
  void backsOffForTheApplicationsSender() {
    runner
        .withUserConfiguration(OwnSender.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SmsSender.class);
              assertThat(context.getBean(SmsSender.class)).isSameAs(OwnSender.SENDER);
            });
  }

  @Test
  void withoutTheStartersSettings_noSender() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                SmsFeedbackAutoConfiguration.class, SmsSenderAutoConfiguration.class))
        .withPropertyValues("sms.feedback.sub-account-id=acme_otp")
        .run(context -> assertThat(context).doesNotHaveBean(SmsSender.class));
    runner
        .withPropertyValues("sms.feedback.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SmsSender.class));
  }

  @Test
  void outsideAServletApp_aSenderButNoBinding() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                SmsFeedbackAutoConfiguration.class, SmsSenderAutoConfiguration.class))
        .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SmsSender.class);
              assertThat(context).doesNotHaveBean(ServletContextInitializer.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSender {
    static final SmsSender SENDER =
        new SmsSender() {
          @Override
          public SentSms send(SmsMessage message) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<SentSms> sendAsync(SmsMessage message) {
            throw new UnsupportedOperationException();
          }

          @Override
          public String subAccountId() {
            return "own";
          }

          @Override
          public void close() {}
        };

    @Bean
    SmsSender mySender() {
      return SENDER;
    }
  }
}
