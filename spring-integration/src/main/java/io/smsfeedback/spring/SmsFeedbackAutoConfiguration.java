package io.smsfeedback.spring;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SmsSender;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.spring.internal.AlarmListeners;
import io.smsfeedback.spring.internal.ApiKeySanitizingFunction;
import io.smsfeedback.spring.internal.AuthenticationFilterDecorator;
import io.smsfeedback.spring.internal.Boot3FeedbackHealthIndicator;
import io.smsfeedback.spring.internal.Boot4FeedbackHealthIndicator;
import io.smsfeedback.spring.internal.ConversionInsight;
import io.smsfeedback.spring.internal.FeedbackHealth;
import io.smsfeedback.spring.internal.FeedbackLifecycle;
import io.smsfeedback.spring.internal.FeedbackMeters;
import io.smsfeedback.spring.internal.GuardMeters;
import io.smsfeedback.spring.internal.GuardRefusals;
import io.smsfeedback.spring.internal.InsightMeters;
import io.smsfeedback.spring.internal.JdbcStoreHealth;
import io.smsfeedback.spring.internal.OnApiKeyCondition;
import io.smsfeedback.spring.internal.PropertiesMapper;
import io.smsfeedback.spring.internal.SecurityEventBridge;
import io.smsfeedback.spring.internal.SendGuardPostProcessor;
import io.smsfeedback.spring.internal.SmsFeedbackEndpoint;
import io.smsfeedback.spring.internal.TrackingStores;
import io.smsfeedback.spring.ott.SmsPhoneNumbers;
import io.smsfeedback.store.TrackingStore;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of sms-feedback for Spring Boot 4.0 and 3.5.
 *
 * <p>Active when {@code sms.feedback.api-key} is set and {@code sms.feedback.enabled} is not false.
 * Creates, each unless the application defines its own: the core's {@link FeedbackSettings}, {@link
 * FeedbackReporter} and {@link ConversionTracker}; a lifecycle that drains them after the web
 * server stopped; with {@code sms.feedback.store=jdbc} the {@link JdbcTrackingStore} on the
 * application's {@code DataSource}; in a servlet web application the filter and the Spring Security
 * bridge; with Actuator a health indicator and the {@code smsfeedback} endpoint; with Micrometer the
 * meters; the conversion statistics and pumping alarm (preview), checked every 30 s.
 *
 * <p>Runs after Spring Boot's {@code DataSourceAutoConfiguration} (named for both Boot lines), so
 * that the JDBC store finds the {@code DataSource} it defines.
 *
 * <p>Never defines an {@code Executor}, an {@code AuthenticationEventPublisher} or an audit
 * listener, so Spring Boot's own stay in place.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
    })
@ConditionalOnClass(FeedbackReporter.class)
@ConditionalOnProperty(
    prefix = "sms.feedback",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@Conditional(OnApiKeyCondition.class)
@EnableConfigurationProperties(SmsFeedbackProperties.class)
public class SmsFeedbackAutoConfiguration {

  /**
   * The name of an optional {@link Clock} bean for the conversion statistics and the pumping alarm
   * (a test's manual clock); without it they use the UTC system clock.
   */
  public static final String INSIGHT_CLOCK = "smsFeedbackInsightClock";

  /** The bean name of the health indicator; Actuator shows it as {@code smsFeedback}. */
  public static final String HEALTH_INDICATOR_NAME = "smsFeedbackHealthIndicator";

  /**
   * The servlet filter's name in the container. Differs from the servlet module's automatic
   * registration ({@link SmsFeedbackFilter#DEFAULT_FILTER_NAME}), which then stands down.
   */
  public static final String FILTER_NAME = "smsFeedbackSpringFilter";

  /**
   * Spring Security's default filter chain order ({@code SecurityProperties.DEFAULT_FILTER_ORDER}).
   */
  static final int SECURITY_DEFAULT_FILTER_ORDER = -100;

  @Bean
  @ConditionalOnMissingBean
  public FeedbackSettings smsFeedbackSettings(
      SmsFeedbackProperties properties,
      ObjectProvider<SmsPhoneNumbers> smsLogin,
      Environment environment) {
    boolean maxAttemptsSet =
        Binder.get(environment).bind("sms.feedback.max-attempts", Integer.class).isBound();
    boolean smsLoginEndsCodes = smsLogin.getIfAvailable() != null;
    return PropertiesMapper.feedbackSettings(properties, smsLoginEndsCodes && !maxAttemptsSet);
  }

  @Bean
  @ConditionalOnMissingBean
  public FeedbackReporter smsFeedbackReporter(
      FeedbackSettings settings, ObjectProvider<FeedbackListener> listeners) {
    FeedbackReporter.Builder builder = FeedbackReporter.builder(settings);
    listeners.orderedStream().forEach(builder::addListener);
    return builder.build();
  }

  /**
   * The tracker, on the application's {@link TrackingStore} bean if there is one (with {@code
   * sms.feedback.store=jdbc}, the JDBC store below), else in memory.
   */
  @Bean
  @ConditionalOnMissingBean
  public ConversionTracker smsFeedbackTracker(
      FeedbackSettings settings,
      FeedbackReporter reporter,
      ObjectProvider<TrackingStore> store,
      SmsFeedbackProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<ConversionStats> stats) {
    ConversionTracker.Builder builder =
        ConversionTracker.builder(settings, reporter)
            .store(TrackingStores.select(properties, store.getIfAvailable(), beanFactory));
    stats.ifAvailable(builder::listener);
    return builder.build();
  }

  /**
   * The conversion statistics the tracker feeds (preview; see the core's README), on the {@link
   * Clock} bean named {@value #INSIGHT_CLOCK} if the application defines one (a test's manual
   * clock, say), else the UTC system clock.
   */
  @Bean
  @ConditionalOnMissingBean
  public ConversionStats smsFeedbackConversionStats(
      @Qualifier(INSIGHT_CLOCK) ObjectProvider<Clock> clock) {
    return ConversionStats.builder().clock(clock.getIfAvailable(Clock::systemUTC)).build();
  }

  /**
   * The pumping alarm over the statistics, with the {@code sms.feedback.alarm.*} thresholds, telling
   * every {@link AlarmListener} bean (each isolated from the others' failures).
   */
  @Bean
  @ConditionalOnMissingBean
  public PumpingAlarm smsFeedbackPumpingAlarm(
      ConversionStats stats,
      SmsFeedbackProperties properties,
      ObjectProvider<AlarmListener> listeners) {
    return PropertiesMapper.pumpingAlarm(
        stats, properties.getAlarm(), AlarmListeners.of(listeners.orderedStream().toList()));
  }

  /**
   * With {@code sms.feedback.guard.enabled=true}: the send guard's allow-list and refusal counts,
   * shown in the health details ({@code sendGuard}).
   */
  @Bean
  @ConditionalOnProperty(prefix = "sms.feedback.guard", name = "enabled", havingValue = "true")
  @ConditionalOnMissingBean
  GuardRefusals smsFeedbackGuardRefusals(PumpingAlarm alarm, SmsFeedbackProperties properties) {
    return new GuardRefusals(alarm, PropertiesMapper.guardAllow(properties.getGuard().getAllow()));
  }

  /** With {@code sms.feedback.guard.enabled=true}: every {@link SmsSender} bean, guarded. */
  @Bean
  @ConditionalOnProperty(prefix = "sms.feedback.guard", name = "enabled", havingValue = "true")
  static SendGuardPostProcessor smsFeedbackSendGuardPostProcessor(
      ObjectProvider<GuardRefusals> guard) {
    return new SendGuardPostProcessor(guard);
  }

  /** Checks the alarm every 30 s on a thread of its own; shows alarms in the health details. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ConversionInsight smsFeedbackConversionInsight(PumpingAlarm alarm) {
    return new ConversionInsight(alarm);
  }

  @Bean
  @ConditionalOnMissingBean
  FeedbackLifecycle smsFeedbackLifecycle(
      ObjectProvider<ConversionTracker> tracker, ObjectProvider<FeedbackReporter> reporter) {
    return new FeedbackLifecycle(tracker.getIfAvailable(), reporter.getIfAvailable());
  }

  /**
   * The JDBC store on the application's single {@code DataSource}, created after its schema
   * initialization (Flyway, Liquibase, {@code spring.sql.init}) and built with its outbox, plus the
   * outbox's listener, which the reporter picks up with every other {@link FeedbackListener} bean.
   * The store closes after the tracker and the reporter: the lifecycle closes those before any bean
   * is destroyed, and a failed startup destroys beans in reverse order of creation (the store is
   * made while the reporter collects its listeners), so the reporter's last results are written.
   * Shutdown thus runs: stop deciding (tracker), drain the reporter (the store still renews this
   * node's delivery leases, so no other node takes them over), then close the store (stop
   * renewing). A {@code sms.feedback.jdbc.lease} below 3 scan intervals fails the tracker's
   * creation.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcTrackingStore.class)
  @ConditionalOnProperty(
      prefix = "sms.feedback",
      name = "store",
      havingValue = TrackingStores.JDBC)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean(TrackingStore.class)
  static class JdbcStoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.spring");

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    JdbcTrackingStore smsFeedbackTrackingStore(
        DataSource dataSource, SmsFeedbackProperties properties) {
      SmsFeedbackProperties.Jdbc jdbc = properties.getJdbc();
      JdbcTrackingStore.Builder builder =
          JdbcTrackingStore.builder(dataSource)
              .outbox(true)
              .initializeSchema(jdbc.isInitializeSchema())
              .tablePrefix(jdbc.getTablePrefix())
              .lease(jdbc.getLease())
              .statementTimeout(jdbc.getStatementTimeout());
      String dialect = jdbc.getDialect();
      if (dialect != null) {
        builder.properties(Map.of(JdbcTrackingStore.DIALECT, dialect));
      }
      JdbcTrackingStore store = builder.build();
      LOG.info(
          "sms-feedback tracks OTPs in table {} ({})", store.tableName(), store.dialect().id());
      return store;
    }

    @Bean
    FeedbackListener smsFeedbackDeliveryListener(JdbcTrackingStore store) {
      return store.deliveryListener();
    }

    /** The store's state in the health indicator's details. */
    @Bean
    FeedbackHealth.StoreDetails smsFeedbackStoreHealth(JdbcTrackingStore store) {
      return new JdbcStoreHealth(store);
    }
  }

  /** The servlet filter, registered after Spring Session's and before Spring Security's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({SmsFeedbackFilter.class, FilterRegistrationBean.class})
  static class ServletConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FilterSettings smsFeedbackFilterSettings(SmsFeedbackProperties properties) {
      return PropertiesMapper.filterSettings(properties);
    }

    @Bean
    @ConditionalOnMissingBean(
        value = SmsFeedbackFilter.class,
        parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<SmsFeedbackFilter> smsFeedbackFilterRegistration(
        ConversionTracker tracker,
        FilterSettings settings,
        SmsFeedbackProperties properties,
        Environment environment) {
      FilterRegistrationBean<SmsFeedbackFilter> registration =
          new FilterRegistrationBean<>(new SmsFeedbackFilter(tracker, settings));
      registration.setName(FILTER_NAME);
      registration.setOrder(filterOrder(properties, environment));
      registration.setAsyncSupported(true);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      registration.addUrlPatterns("/*");
      return registration;
    }

    /** {@code SmsFeedback.sendOtp} notes each send's calling code in the statistics. */
    @Bean
    @ConditionalOnMissingBean(name = "smsFeedbackStatsBinding")
    ServletContextInitializer smsFeedbackStatsBinding(ConversionStats stats) {
      return context -> SmsFeedback.useStats(context, stats);
    }

    static int filterOrder(SmsFeedbackProperties properties, Environment environment) {
      Integer order = properties.getFilter().getOrder();
      if (order != null) {
        return order;
      }
      return environment.getProperty(
              "spring.security.filter.order", Integer.class, SECURITY_DEFAULT_FILTER_ORDER)
          - 1;
    }
  }

  /**
   * The Spring Security bridge: authentication events, and the one-time-token login's failure
   * handler, become the verdict of the request inside the filter.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "io.smsfeedback.servlet.SmsFeedbackFilter",
        "org.springframework.security.authentication.event.AbstractAuthenticationEvent",
        "org.springframework.security.web.SecurityFilterChain"
      })
  static class SecurityConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecurityEventBridge smsFeedbackSecurityBridge(SmsFeedbackProperties properties) {
      return SecurityEventBridge.create(properties.getSecurity().getCodeAuthentications());
    }

    @Bean
    @ConditionalOnMissingBean
    static AuthenticationFilterDecorator smsFeedbackAuthenticationFilterDecorator(
        ObjectProvider<SecurityEventBridge> bridge) {
      return new AuthenticationFilterDecorator(
          () -> bridge.getIfAvailable(SecurityEventBridge::create));
    }
  }

  /** Micrometer meters; bound by Spring Boot to its registries when Actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FeedbackMeters smsFeedbackMeters(
        ObjectProvider<FeedbackReporter> reporter, ObjectProvider<ConversionTracker> tracker) {
      return new FeedbackMeters(reporter, tracker);
    }

    @Bean
    @ConditionalOnMissingBean
    InsightMeters smsFeedbackInsightMeters(ConversionStats stats, PumpingAlarm alarm) {
      return new InsightMeters(stats, alarm);
    }

    @Bean
    @ConditionalOnProperty(prefix = "sms.feedback.guard", name = "enabled", havingValue = "true")
    @ConditionalOnMissingBean
    GuardMeters smsFeedbackGuardMeters(GuardRefusals refusals) {
      return new GuardMeters(refusals);
    }
  }

  /** The Actuator endpoint {@code smsfeedback}: statistics and alarms as JSON. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SmsFeedbackEndpoint smsFeedbackEndpoint(ConversionStats stats, PumpingAlarm alarm) {
      return new SmsFeedbackEndpoint(stats, alarm);
    }
  }

  /**
   * Actuator's {@code configprops} and {@code env} endpoints mask the API key even when they show
   * values. Not {@code @ConditionalOnMissingBean} by type: every {@code SanitizingFunction} bean
   * applies, the application's own included.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
  static class ActuatorSanitizingConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "smsFeedbackApiKeySanitizer")
    ApiKeySanitizingFunction smsFeedbackApiKeySanitizer() {
      return new ApiKeySanitizingFunction();
    }
  }

  /** Health on Spring Boot 4 ({@code spring-boot-health}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4HealthConfiguration {

    @Bean(name = HEALTH_INDICATOR_NAME)
    @ConditionalOnMissingBean(name = HEALTH_INDICATOR_NAME)
    Boot4FeedbackHealthIndicator smsFeedbackHealthIndicator(
        FeedbackReporter reporter,
        ObjectProvider<ConversionTracker> tracker,
        ObjectProvider<FeedbackHealth.StoreDetails> store,
        SmsFeedbackProperties properties) {
      return new Boot4FeedbackHealthIndicator(
          new FeedbackHealth(
              reporter,
              tracker.getIfAvailable(),
              details(store),
              properties.getHealth().isDownOnAuthFailure()));
    }
  }

  /** Health on Spring Boot 3.5 ({@code spring-boot-actuator}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Boot3HealthConfiguration {

    @Bean(name = HEALTH_INDICATOR_NAME)
    @ConditionalOnMissingBean(name = HEALTH_INDICATOR_NAME)
    Boot3FeedbackHealthIndicator smsFeedbackHealthIndicator(
        FeedbackReporter reporter,
        ObjectProvider<ConversionTracker> tracker,
        ObjectProvider<FeedbackHealth.StoreDetails> store,
        SmsFeedbackProperties properties) {
      return new Boot3FeedbackHealthIndicator(
          new FeedbackHealth(
              reporter,
              tracker.getIfAvailable(),
              details(store),
              properties.getHealth().isDownOnAuthFailure()));
    }
  }

  /** Every contributor of health details (the JDBC store's, the pumping alarm's), in order. */
  static FeedbackHealth.StoreDetails details(ObjectProvider<FeedbackHealth.StoreDetails> all) {
    return details -> all.orderedStream().forEach(d -> d.addTo(details));
  }
}
