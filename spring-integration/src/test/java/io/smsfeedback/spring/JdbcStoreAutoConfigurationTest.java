package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.SentOtp;
import io.smsfeedback.jdbc.JdbcDialect;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.spring.internal.SettingsFailureAnalyzer;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/** {@code sms.feedback.store}: memory by default, the JDBC store on the application's DataSource. */
@ExtendWith(OutputCaptureExtension.class)
class JdbcStoreAutoConfigurationTest {

  static final String PASSWORD = "h2-secret-5a1d";
  static final String DELIVERY_LISTENER = "smsFeedbackDeliveryListener";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
          .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID);

  /** The same, after Spring Boot's DataSourceAutoConfiguration of the running Boot line. */
  private final ApplicationContextRunner withBootsDataSource =
      new ApplicationContextRunner()
          .withConfiguration(
              bootAutoConfigurations(
                  "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                  "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"))
          .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
          .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID)
          .withPropertyValues(
              "spring.datasource.url=" + h2Url(),
              "spring.datasource.username=sa",
              "spring.datasource.password=" + PASSWORD);

  @Test
  void store_defaultsToMemory_evenWithADataSource() {
    runner
        .withUserConfiguration(H2.class)
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(ConversionTracker.class)
                  .doesNotHaveBean(TrackingStore.class)
                  .doesNotHaveBean(DELIVERY_LISTENER);
              assertThat(tables(context.getBean(DataSource.class))).isEmpty();
            });
  }

  @Test
  void storeJdbc_createsTheStoreOnTheDataSource_andTheTrackerUsesIt(CapturedOutput output) {
    runner
        .withUserConfiguration(H2.class)
        .withPropertyValues(
            "sms.feedback.store=jdbc",
            "sms.feedback.jdbc.initialize-schema=true",
            "sms.feedback.jdbc.table-prefix=acme_",
            "sms.feedback.jdbc.lease=10s",
            "sms.feedback.jdbc.dialect=h2")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(JdbcTrackingStore.class);
              JdbcTrackingStore store = context.getBean(JdbcTrackingStore.class);
              assertThat(store.tableName()).isEqualTo("acme_tracked_otp");
              assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
              assertThat(tables(context.getBean(DataSource.class)))
                  .containsExactly("ACME_TRACKED_OTP");
              assertThat(context.getBean(DELIVERY_LISTENER, FeedbackListener.class))
                  .isSameAs(store.deliveryListener());

              SentOtp otp = otp();
              assertThat(context.getBean(ConversionTracker.class).sent(otp))
                  .isEqualTo(Signal.APPLIED);
              assertThat(store.find(otp.umid())).map(TrackedOtp::otp).contains(otp);
            });
    assertThat(output.getAll())
        .contains("sms-feedback tracks OTPs in table acme_tracked_otp (h2)")
        .doesNotContain(PASSWORD);
  }

  @Test
  void storeJdbc_runsAfterBootsDataSourceAutoConfiguration(CapturedOutput output) {
    withBootsDataSource
        .withPropertyValues("sms.feedback.store=jdbc", "sms.feedback.jdbc.initialize-schema=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(JdbcTrackingStore.class);
              assertThat(context.getBean(JdbcTrackingStore.class).tableName())
                  .isEqualTo("sms_feedback_tracked_otp");
            });
    assertThat(output.getAll()).doesNotContain(PASSWORD);
  }

  @Test
  void storeJdbc_isCreatedAfterTheApplicationsSchemaScripts() {
    // initialize-schema=false: the table must exist when the store starts; spring.sql.init makes it
    new ApplicationContextRunner()
        .withConfiguration(
            bootAutoConfigurations(
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
                "org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration"))
        .withConfiguration(AutoConfigurations.of(SmsFeedbackAutoConfiguration.class))
        .withPropertyValues(SmsFeedbackAutoConfigurationTest.VALID)
        .withPropertyValues(
            "spring.datasource.url=" + h2Url(),
            "spring.sql.init.mode=always",
            "spring.sql.init.schema-locations=classpath:" + JdbcDialect.H2.schemaResource(),
            "sms.feedback.store=jdbc")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(JdbcTrackingStore.class));
  }

  @Test
  void applicationsOwnStore_wins() {
    for (String store : new String[] {"memory", "jdbc"}) {
      runner
          .withUserConfiguration(H2.class, OwnStore.class)
          .withPropertyValues("sms.feedback.store=" + store)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(TrackingStore.class);
                assertThat(context).doesNotHaveBean(JdbcTrackingStore.class);
                assertThat(context).doesNotHaveBean(DELIVERY_LISTENER);
                SentOtp otp = otp();
                context.getBean(ConversionTracker.class).sent(otp);
                assertThat(context.getBean("myStore", TrackingStore.class).find(otp.umid()))
                    .as(store)
                    .isPresent();
              });
    }
  }

  @Test
  void storeJdbc_withoutTheJdbcModule_failsNamingThePropertyAndTheDependency() {
    runner
        .withUserConfiguration(H2.class)
        .withClassLoader(new FilteredClassLoader("io.smsfeedback.jdbc"))
        .withPropertyValues("sms.feedback.store=jdbc")
        .run(
            failsWith(
                "sms.feedback.store=jdbc needs sms-feedback-jdbc on the class path",
                "io.smsfeedback:sms-feedback-jdbc"));
  }

  @Test
  void storeJdbc_withoutADataSource_failsNamingThePropertyAndWhatToAdd() {
    runner
        .withPropertyValues("sms.feedback.store=jdbc")
        .run(
            failsWith(
                "sms.feedback.store=jdbc needs the application's DataSource",
                "no DataSource bean",
                "spring-boot-starter-jdbc",
                "spring.datasource.url"));
  }

  @Test
  void storeJdbc_withTwoDataSources_failsAskingForAPrimaryOne() {
    runner
        .withUserConfiguration(TwoDataSources.class)
        .withPropertyValues("sms.feedback.store=jdbc")
        .run(
            failsWith(
                "sms.feedback.store=jdbc needs one DataSource",
                "2 DataSource beans (first, second)",
                "@Primary"));
  }

  @Test
  void store_otherValue_failsNamingThePropertyAndTheAllowedValues() {
    runner
        .withPropertyValues("sms.feedback.store=redis")
        .run(failsWith("sms.feedback.store must be memory or jdbc: \"redis\""));
  }

  @Test
  void invalidJdbcSetting_failsNamingTheProperty() {
    for (String[] bad :
        new String[][] {
          {"sms.feedback.jdbc.lease=50ms", "sms.feedback.jdbc.lease must be between 100ms and 5m"},
          {
            "sms.feedback.jdbc.lease=2s",
            "sms.feedback.jdbc.lease must be at least 3 times the tracker's scan interval (1s),"
                + " 3s: 2s"
          },
          {"sms.feedback.jdbc.table-prefix=1st", "sms.feedback.jdbc.table-prefix must match"},
          {"sms.feedback.jdbc.dialect=oracle", "sms.feedback.jdbc.dialect must be postgresql or h2"}
        }) {
      runner
          .withUserConfiguration(H2.class)
          .withPropertyValues(
              "sms.feedback.store=jdbc", "sms.feedback.jdbc.initialize-schema=true", bad[0])
          .run(failsWith(bad[1]));
    }
  }

  /**
   * A decided outcome still waiting for a retry at shutdown (127.0.0.1:9 refuses) is dropped by the
   * reporter, whose listener hands the release to the store's writer: written only if the store
   * closes after the reporter.
   */
  @Test
  void close_closesTheStoreAfterTheReporter_soTheReportersShutdownIsWritten() {
    withBootsDataSource
        .withPropertyValues(CLOSE_ORDER)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Decided decided =
                  Decided.one(
                      context.getBean(ConversionTracker.class),
                      context.getBean(FeedbackReporter.class),
                      context.getBean(JdbcTrackingStore.class));
              context.close();
              decided.assertReleasedByTheStore();
            });
  }

  /** A failed refresh destroys the beans without stopping the lifecycle: same order. */
  @Test
  void failedStartup_stillClosesTheStoreAfterTheReporter() {
    withBootsDataSource
        .withPropertyValues(CLOSE_ORDER)
        .withUserConfiguration(FailsAfterDeciding.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailsAfterDeciding.decided.assertReleasedByTheStore();
            });
  }

  static final String[] CLOSE_ORDER = {
    "sms.feedback.store=jdbc", "sms.feedback.jdbc.initialize-schema=true",
    "sms.feedback.shutdown-timeout=0s"
  };

  record Decided(FeedbackReporter reporter, JdbcTrackingStore store) {

    static Decided one(ConversionTracker tracker, FeedbackReporter reporter, JdbcTrackingStore store) {
      SentOtp otp = otp();
      assertThat(tracker.sent(otp)).isEqualTo(Signal.APPLIED);
      assertThat(tracker.verified(otp, Instant.now())).isEqualTo(Signal.APPLIED);
      assertThat(store.stats().held()).isEqualTo(1);
      return new Decided(reporter, store);
    }

    void assertReleasedByTheStore() {
      assertThat(reporter.stats().droppedShutdown()).isEqualTo(1);
      assertThat(store.stats().released()).as("released").isEqualTo(1);
      assertThat(store.stats().writeFailures()).as("writeFailures").isZero();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class FailsAfterDeciding {
    static volatile Decided decided;

    @Bean
    Object failsAfterDeciding(
        ConversionTracker tracker, FeedbackReporter reporter, JdbcTrackingStore store) {
      decided = Decided.one(tracker, reporter, store);
      throw new IllegalStateException("a later bean fails the startup");
    }
  }

  private static ContextConsumer<AssertableApplicationContext> failsWith(String... expected) {
    return context -> {
      assertThat(context).hasFailed();
      StringBuilder messages = new StringBuilder();
      for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertThat(messages.toString()).contains(expected).doesNotContain(PASSWORD);
      FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).as("failure analysis").isNotNull();
      assertThat(analysis.getDescription()).contains(expected);
    };
  }

  private static SentOtp otp() {
    return new SentOtp("acme_otp", UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  private static String h2Url() {
    return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  private static JdbcDataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(h2Url());
    dataSource.setUser("sa");
    dataSource.setPassword(PASSWORD);
    return dataSource;
  }

  /** The user tables of the database. */
  private static List<String> tables(DataSource dataSource) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    return tables;
  }

  /** The auto-configurations of the running Boot line among {@code names} (each line has one). */
  private static AutoConfigurations bootAutoConfigurations(String... names) {
    Class<?>[] present =
        Arrays.stream(names)
            .filter(name -> ClassUtils.isPresent(name, null))
            .map(name -> ClassUtils.resolveClassName(name, null))
            .toArray(Class<?>[]::new);
    assertThat(present).hasSize(names.length / 2);
    return AutoConfigurations.of(present);
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      return h2();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoDataSources {
    @Bean
    DataSource first() {
      return h2();
    }

    @Bean
    DataSource second() {
      return h2();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    @Bean
    TrackingStore myStore() {
      return TrackingStore.inMemory();
    }
  }
}
