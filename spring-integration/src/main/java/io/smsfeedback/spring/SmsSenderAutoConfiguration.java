package io.smsfeedback.spring;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SmsSender;
import io.smsfeedback.servlet.SmsFeedback;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The core's 8x8 {@link SmsSender} on the starter's {@link FeedbackSettings} (same key,
 * subaccount, region or base URL, timeouts), unless the application defines its own; in a servlet
 * web application it is also the sender of {@code SmsFeedback.sendOtp(request, destination, text)}.
 * Active whenever the starter is (it needs the settings bean); closed with the context.
 */
@AutoConfiguration(after = SmsFeedbackAutoConfiguration.class)
@ConditionalOnClass(SmsSender.class)
@ConditionalOnBean(FeedbackSettings.class)
public class SmsSenderAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public SmsSender smsFeedbackSmsSender(FeedbackSettings settings) {
    return SmsSender.create(settings);
  }

  /** Binds the sender to the web app for {@code SmsFeedback.sendOtp} without a sender argument. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(SmsFeedback.class)
  static class ServletBinding {

    @Bean
    @ConditionalOnMissingBean(name = "smsFeedbackSenderBinding")
    ServletContextInitializer smsFeedbackSenderBinding(SmsSender sender) {
      return context -> SmsFeedback.useSender(context, sender);
    }
  }
}
