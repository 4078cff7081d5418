package io.smsfeedback.spring.ott;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SmsSender;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import io.smsfeedback.spring.SmsFeedbackProperties;
import io.smsfeedback.spring.SmsSenderAutoConfiguration;
import io.smsfeedback.spring.internal.ott.OneTimeTokenLoginPostProcessor;
import io.smsfeedback.spring.internal.ott.OttSettings;
import io.smsfeedback.spring.internal.ott.SmsCodeGenerationSuccessHandler;
import io.smsfeedback.spring.internal.ott.JdbcSmsCodeService;
import io.smsfeedback.spring.internal.ott.SmsCodeService;
import io.smsfeedback.spring.internal.ott.SmsCodes;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * SMS one-time-token login for Spring Security 6.5 and 7: active in a servlet web application with
 * Spring Security's one-time-token classes, an active sms-feedback (its {@link FeedbackSettings}
 * bean: {@code sms.feedback.api-key} set, {@code sms.feedback.enabled} not false) and an
 * application {@link SmsPhoneNumbers} bean.
 *
 * <p>Creates, each unless the application defines one of the same type: the {@link
 * OneTimeTokenService} of short numeric codes (in memory, or with {@code sms.feedback.store=jdbc}
 * in a table on the application's {@code DataSource}) and the {@link
 * OneTimeTokenGenerationSuccessHandler} that sends the codes with the {@link SmsSender} bean
 * ({@link SmsSenderAutoConfiguration}'s, or the application's), which Spring Security's
 * {@code oneTimeTokenLogin()} picks up; plus the post-processor binding a typed code to its user,
 * and with Micrometer the counter of failed sends.
 */
@AutoConfiguration(after = {SmsFeedbackAutoConfiguration.class, SmsSenderAutoConfiguration.class})
@ConditionalOnClass({OneTimeTokenService.class, OneTimeTokenGenerationSuccessHandler.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({FeedbackSettings.class, SmsPhoneNumbers.class})
@EnableConfigurationProperties(SmsFeedbackProperties.class)
public class SmsOneTimeTokenAutoConfiguration {

  /**
   * With {@code sms.feedback.store=jdbc}, the codes in a table on the application's single (or
   * {@code @Primary}) {@code DataSource}, shared by every node. Processed before the in-memory
   * service below, which then backs off.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "sms.feedback", name = "store", havingValue = "jdbc")
  @ConditionalOnSingleCandidate(DataSource.class)
  static class JdbcCodes {

    @Bean
    @ConditionalOnMissingBean(OneTimeTokenService.class)
    @DependsOnDatabaseInitialization
    JdbcSmsCodeService smsFeedbackOneTimeTokenService(
        DataSource dataSource, SmsFeedbackProperties properties, OttSettings settings) {
      JdbcSmsCodeService codes =
          new JdbcSmsCodeService(
              dataSource, properties.getJdbc().getTablePrefix(), settings, Clock.systemUTC());
      if (properties.getJdbc().isInitializeSchema()) {
        codes.createSchemaIfMissing();
      }
      return codes;
    }
  }

  /** Binds the code typed on {@code POST /login/ott} to its user; see the README. */
  @Bean
  @ConditionalOnMissingBean
  static OneTimeTokenLoginPostProcessor smsFeedbackOneTimeTokenLoginPostProcessor() {
    return new OneTimeTokenLoginPostProcessor();
  }

  @Bean
  @ConditionalOnMissingBean
  public OttSettings smsFeedbackOttSettings(SmsFeedbackProperties properties) {
    return OttSettings.from(properties.getOtt());
  }

  @Bean
  @ConditionalOnMissingBean(OneTimeTokenService.class)
  public SmsCodeService smsFeedbackOneTimeTokenService(OttSettings settings) {
    return new SmsCodeService(settings, Clock.systemUTC());
  }

  @Bean
  @ConditionalOnMissingBean(OneTimeTokenGenerationSuccessHandler.class)
  public SmsCodeGenerationSuccessHandler smsFeedbackOneTimeTokenGenerationHandler(
      SmsPhoneNumbers phones,
      SmsSender sender,
      OttSettings settings,
      ObjectProvider<OneTimeTokenService> tokens) {
    SmsCodes codes = tokens.getIfUnique() instanceof SmsCodes service ? service : null;
    return new SmsCodeGenerationSuccessHandler(phones, sender, settings, codes);
  }

  /** {@code sms.feedback.ott.send.failures}: sign-in codes that could not be sent by SMS. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  @ConditionalOnBean(SmsCodeGenerationSuccessHandler.class)
  static class Meters {

    @Bean
    @ConditionalOnMissingBean(name = "smsFeedbackOttMeters")
    MeterBinder smsFeedbackOttMeters(SmsCodeGenerationSuccessHandler handler) {
      return registry ->
          FunctionCounter.builder(
                  "sms.feedback.ott.send.failures",
                  handler,
                  SmsCodeGenerationSuccessHandler::sendFailures)
              .description("Sign-in codes that could not be sent by SMS")
              .register(registry);
    }
  }
}
