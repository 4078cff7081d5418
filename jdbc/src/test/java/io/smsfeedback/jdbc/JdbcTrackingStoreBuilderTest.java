package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Builder and property validation, dialects, and H2's PostgreSQL mode end to end. */
class JdbcTrackingStoreBuilderTest {

  static final JdbcConnectionPool H2 =
      JdbcConnectionPool.create("jdbc:h2:mem:builder;DB_CLOSE_DELAY=-1", "sa", "");
  static final JdbcConnectionPool H2_PG_MODE =
      JdbcConnectionPool.create(
          "jdbc:h2:mem:pgmode;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
              + "DB_CLOSE_DELAY=-1",
          "sa",
          "");

  @AfterAll
  static void closePools() {
    H2.dispose();
    H2_PG_MODE.dispose();
  }

  @Test
  void tablePrefix_mustBeAPlainIdentifierOfAtMost40Characters() {
    JdbcTrackingStore.Builder b = JdbcTrackingStore.builder(H2);
    b.tablePrefix("");
    b.tablePrefix("_x");
    b.tablePrefix("a".repeat(40));
    for (String bad :
        new String[] {"1abc", "a-b", "a.b", "a b", "x;DROP TABLE y", "a".repeat(41), "é"}) {
      assertThatThrownBy(() -> b.tablePrefix(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sms.feedback.jdbc.table-prefix must match");
    }
  }

  @Test
  void lease_mustBeBetween100msAnd5m() {
    JdbcTrackingStore.Builder b = JdbcTrackingStore.builder(H2);
    b.lease(Duration.ofMillis(100)).lease(Duration.ofMinutes(5));
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(99)))
        .hasMessage("sms.feedback.jdbc.lease must be between 100ms and 5m: 99ms");
    assertThatThrownBy(() -> b.lease(Duration.ofMinutes(6)))
        .hasMessage("sms.feedback.jdbc.lease must be between 100ms and 5m: 6m");
    assertThatThrownBy(() -> b.countRefresh(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statementTimeout_mustBeBetween10msAnd30s() {
    JdbcTrackingStore.Builder b = JdbcTrackingStore.builder(H2);
    b.statementTimeout(Duration.ofMillis(10)).statementTimeout(Duration.ofSeconds(30));
    assertThatThrownBy(() -> b.statementTimeout(Duration.ofMillis(9)))
        .hasMessage("sms.feedback.jdbc.statement-timeout must be between 10ms and 30s: 9ms");
    assertThatThrownBy(() -> b.statementTimeout(Duration.ofSeconds(31)))
        .hasMessage("sms.feedback.jdbc.statement-timeout must be between 10ms and 30s: 31s");
    assertThat(JdbcTrackingStore.Builder.DEFAULT_STATEMENT_TIMEOUT)
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void properties_areAppliedAndValidated_namingTheProperty() {
    JdbcTrackingStore store =
        JdbcTrackingStore.fromProperties(
            H2,
            Map.of(
                "sms.feedback.jdbc.initialize-schema", " TRUE ",
                "sms.feedback.jdbc.table-prefix", "props_",
                "sms.feedback.jdbc.lease", "45s",
                "sms.feedback.jdbc.dialect", "h2",
                "sms.feedback.jdbc.statement-timeout", "400ms",
                "sms.feedback.api-key", "ignored",
                "sms.feedback.jdbc.unknown", "ignored"));
    assertThat(store.tableName()).isEqualTo("props_tracked_otp");
    assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
    store.close();

    assertThatThrownBy(() -> props("sms.feedback.jdbc.initialize-schema", "yes"))
        .hasMessage("sms.feedback.jdbc.initialize-schema must be true or false: \"yes\"");
    assertThatThrownBy(() -> props("sms.feedback.jdbc.lease", "30"))
        .hasMessageStartingWith("sms.feedback.jdbc.lease is invalid (expected a duration");
    assertThatThrownBy(() -> props("sms.feedback.jdbc.statement-timeout", "1h"))
        .hasMessage("sms.feedback.jdbc.statement-timeout must be between 10ms and 30s: 1h");
    assertThatThrownBy(() -> props("sms.feedback.jdbc.dialect", "oracle"))
        .hasMessage("sms.feedback.jdbc.dialect must be postgresql or h2: \"oracle\"");
    assertThatThrownBy(() -> props("sms.feedback.jdbc.table-prefix", "a-b"))
        .hasMessageStartingWith("sms.feedback.jdbc.table-prefix must match");
    assertThat(JdbcTrackingStore.PROPERTY_KEYS)
        .allMatch(k -> k.startsWith(JdbcTrackingStore.PREFIX))
        .hasSize(5);
  }

  private static void props(String key, String value) {
    JdbcTrackingStore.builder(H2).properties(Map.of(key, value));
  }

  @Test
  void dialect_isKnownByProductNameAndId_otherDatabasesAreRefused() {
    assertThat(JdbcDialect.forProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
    assertThat(JdbcDialect.forProductName("H2")).isEqualTo(JdbcDialect.H2);
    assertThat(JdbcDialect.parse(" PostgreSQL ")).isEqualTo(JdbcDialect.POSTGRESQL);
    assertThatThrownBy(() -> JdbcDialect.forProductName("MySQL"))
        .hasMessage("unsupported database \"MySQL\": sms-feedback-jdbc supports PostgreSQL and H2");
    assertThat(JdbcDialect.POSTGRESQL.schemaResource())
        .isEqualTo("io/smsfeedback/jdbc/schema-postgresql.sql");
    assertThat(JdbcDialect.class.getClassLoader().getResource(JdbcDialect.H2.schemaResource()))
        .isNotNull();
  }

  @Test
  void toString_namesTableDialectAndOutbox() {
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(H2).tablePrefix("ts_").initializeSchema(true).build();
    assertThat(store)
        .hasToString("JdbcTrackingStore{table=ts_tracked_otp, dialect=h2, outbox=off, held=0}");
    store.close();
    JdbcTrackingStore withOutbox =
        JdbcTrackingStore.builder(H2).tablePrefix("ts_").outbox(true).build();
    assertThat(withOutbox.toString()).contains("outbox=on");
    withOutbox.close();
  }

  @Test
  void h2PostgresMode_runsATrackerEndToEnd() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    ManualScheduler scheduler = new ManualScheduler(clock);
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(H2_PG_MODE)
            .initializeSchema(true)
            .outbox(true)
            .clock(clock)
            .build();
    RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey("test-key-0123456789")
            .subAccountId("acme-otp")
            .abandonAfter(Duration.ofMinutes(1))
            .build();
    try (ConversionTracker tracker =
        ConversionTracker.builder(settings, reporter)
            .store(store)
            .clock(clock)
            .scheduler(scheduler)
            .build()) {
      SentOtp verified = new SentOtp("acme-otp", UUID.randomUUID(), clock.instant());
      SentOtp abandoned = new SentOtp("acme-otp", UUID.randomUUID(), clock.instant());
      assertThat(tracker.sent(verified)).isEqualTo(ConversionTracker.Signal.APPLIED);
      assertThat(tracker.sent(abandoned)).isEqualTo(ConversionTracker.Signal.APPLIED);
      assertThat(tracker.sent(abandoned)).isEqualTo(ConversionTracker.Signal.DUPLICATE);
      assertThat(tracker.verified(verified, clock.instant()))
          .isEqualTo(ConversionTracker.Signal.APPLIED);
      scheduler.advance(Duration.ofMinutes(1));

      assertThat(reporter.byUmid()).containsOnlyKeys(verified.umid(), abandoned.umid());
      assertThat(store.find(abandoned.umid()).map(TrackedOtp::state))
          .contains(TrackingState.ABANDONED);
      assertThat(store.stats().held()).isEqualTo(2);
    } finally {
      store.close();
    }
  }

  @Test
  void create_withTheDefaults_needsTheTable() {
    assertThatThrownBy(() -> JdbcTrackingStore.create(H2))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("sms_feedback_tracked_otp");
  }
}
