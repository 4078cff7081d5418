package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.Durations;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.jdbc.JdbcDialect;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.spring.internal.ott.OttSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated {@code spring-configuration-metadata.json} documents every setting. */
class ConfigurationMetadataTest {

  private final String json = read();
  private final Map<String, Map<String, Object>> properties = byName("$.properties");
  private final Map<String, Map<String, Object>> hints = byName("$.hints");

  @Test
  void everyCoreAndFilterKeyIsDocumented() {
    assertThat(properties.keySet()).containsAll(FeedbackSettings.PROPERTY_KEYS);
    List<String> filterKeys =
        FilterSettings.PROPERTY_KEYS.stream()
            .filter(k -> !k.equals(FilterSettings.AUTO_REGISTER))
            .toList();
    assertThat(properties.keySet()).containsAll(filterKeys);
    assertThat(properties.keySet())
        .contains(
            "sms.feedback.health.down-on-auth-failure",
            "sms.feedback.filter.order",
            "sms.feedback.retry.initial-backoff",
            "sms.feedback.retry.max-backoff");
  }

  @Test
  void everyPropertyHasADescription() {
    properties.forEach(
        (name, p) -> assertThat((String) p.get("description")).as(name).isNotBlank().endsWith("."));
  }

  @Test
  void defaultsAreThoseOfTheCoreAndTheFilter() {
    assertThat(defaultOf("sms.feedback.enabled")).isEqualTo(true);
    assertThat(defaultOf("sms.feedback.region"))
        .isEqualTo("asia")
        .isEqualTo(FeedbackSettings.DEFAULT_REGION.propertyValue());
    assertDurationDefault("sms.feedback.validity", "15m", FeedbackSettings.MAX_VALIDITY);
    assertDurationDefault("sms.feedback.abandon-after", "10m", FeedbackSettings.DEFAULT_ABANDON_AFTER);
    assertThat(defaultOf("sms.feedback.queue-capacity"))
        .isEqualTo(FeedbackSettings.DEFAULT_QUEUE_CAPACITY);
    assertThat(defaultOf("sms.feedback.max-concurrent-requests"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS);
    assertThat(defaultOf("sms.feedback.max-tracked"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_TRACKED);
    assertThat(defaultOf("sms.feedback.max-attempts"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_ATTEMPTS);
    assertDurationDefault("sms.feedback.connect-timeout", "2s", FeedbackSettings.DEFAULT_CONNECT_TIMEOUT);
    assertDurationDefault("sms.feedback.response-timeout", "5s", FeedbackSettings.DEFAULT_RESPONSE_TIMEOUT);
    assertDurationDefault("sms.feedback.shutdown-timeout", "10s", FeedbackSettings.DEFAULT_SHUTDOWN_TIMEOUT);
    assertDurationDefault("sms.feedback.retry.initial-backoff", "500ms", FeedbackSettings.DEFAULT_RETRY_INITIAL_BACKOFF);
    assertDurationDefault("sms.feedback.retry.max-backoff", "30s", FeedbackSettings.DEFAULT_RETRY_MAX_BACKOFF);
    assertThat(defaultOf("sms.feedback.session-attribute"))
        .isEqualTo(FilterSettings.DEFAULT_SESSION_ATTRIBUTE);
    assertThat(defaultOf("sms.feedback.verification.failure-location"))
        .isEqualTo(FilterSettings.DEFAULT_FAILURE_LOCATION);
    assertThat(defaultOf("sms.feedback.verification.failure-statuses"))
        .asList()
        .containsExactlyInAnyOrderElementsOf(FilterSettings.DEFAULT_FAILURE_STATUSES);
    assertThat(defaultOf("sms.feedback.verification.methods"))
        .asList()
        .containsExactlyInAnyOrderElementsOf(FilterSettings.DEFAULT_VERIFICATION_METHODS);
    assertThat(defaultOf("sms.feedback.health.down-on-auth-failure")).isEqualTo(false);
  }

  @Test
  void storeAndJdbcKeys_areDocumentedWithTheStoreBuildersDefaults() {
    assertThat(properties.keySet())
        .contains("sms.feedback.store")
        .containsAll(JdbcTrackingStore.PROPERTY_KEYS);
    assertThat(defaultOf("sms.feedback.store")).isEqualTo("memory");
    assertThat(defaultOf(JdbcTrackingStore.INITIALIZE_SCHEMA)).isEqualTo(false);
    assertThat(defaultOf(JdbcTrackingStore.TABLE_PREFIX))
        .isEqualTo(JdbcTrackingStore.Builder.DEFAULT_TABLE_PREFIX);
    assertThat(defaultOf(JdbcTrackingStore.LEASE))
        .isEqualTo(Durations.format(JdbcTrackingStore.Builder.DEFAULT_LEASE));
    assertThat(defaultOf(JdbcTrackingStore.STATEMENT_TIMEOUT))
        .isEqualTo(Durations.format(JdbcTrackingStore.Builder.DEFAULT_STATEMENT_TIMEOUT));
    assertThat(JdbcTrackingStore.Builder.DEFAULT_STATEMENT_TIMEOUT)
        .isEqualTo(Duration.ofMillis(250));
    assertThat(JdbcTrackingStore.Builder.DEFAULT_LEASE).isEqualTo(Duration.ofSeconds(30));
    assertThat(properties.get(JdbcTrackingStore.DIALECT)).doesNotContainKey("defaultValue");
  }

  @Test
  void oneTimeTokenKeys_areDocumentedWithTheirDefaults() {
    assertThat(defaultOf("sms.feedback.ott.code-length")).isEqualTo(OttSettings.DEFAULT_CODE_LENGTH);
    assertThat(defaultOf("sms.feedback.ott.expiry")).isEqualTo("5m");
    assertThat(OttSettings.DEFAULT_EXPIRY).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaultOf("sms.feedback.ott.max-attempts"))
        .isEqualTo(OttSettings.DEFAULT_MAX_ATTEMPTS);
    assertThat(defaultOf("sms.feedback.ott.max-codes")).isEqualTo(OttSettings.DEFAULT_MAX_CODES);
    assertThat(defaultOf("sms.feedback.ott.message")).isEqualTo(OttSettings.DEFAULT_MESSAGE);
    assertThat(defaultOf("sms.feedback.ott.code-page")).isEqualTo(OttSettings.DEFAULT_CODE_PAGE);
    assertThat(defaultOf("sms.feedback.ott.send-failure-url"))
        .isEqualTo(OttSettings.DEFAULT_SEND_FAILURE_URL);
  }

  @Test
  void alarmAndGuardKeys_areDocumentedWithTheCoresDefaults() {
    assertThat(defaultOf("sms.feedback.alarm.min-sample"))
        .isEqualTo(PumpingAlarm.Builder.DEFAULT_MIN_SAMPLE);
    assertThat(((Number) defaultOf("sms.feedback.alarm.drop-fraction")).doubleValue())
        .isEqualTo(PumpingAlarm.Builder.DEFAULT_DROP_FRACTION);
    assertThat(((Number) defaultOf("sms.feedback.alarm.surge-factor")).doubleValue())
        .isEqualTo(PumpingAlarm.Builder.DEFAULT_SURGE_FACTOR);
    assertThat(defaultOf("sms.feedback.alarm.min-baseline"))
        .isEqualTo(PumpingAlarm.Builder.DEFAULT_MIN_BASELINE);
    assertThat(((Number) defaultOf("sms.feedback.alarm.assumed-conversion")).doubleValue())
        .isEqualTo(PumpingAlarm.Builder.DEFAULT_ASSUMED_CONVERSION);
    assertDurationDefault(
        "sms.feedback.alarm.clear-after", "10m", PumpingAlarm.Builder.DEFAULT_CLEAR_AFTER);
    assertThat(defaultOf("sms.feedback.guard.enabled")).isEqualTo(false);
    assertThat(properties).containsKey("sms.feedback.guard.allow");
  }

  @Test
  void storeAndDialect_listTheirValues() {
    assertThat(hintValues("sms.feedback.store")).containsExactly("memory", "jdbc");
    assertThat(hintValues(JdbcTrackingStore.DIALECT))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(JdbcDialect.values()).map(JdbcDialect::id).toList());
  }

  private List<Object> hintValues(String name) {
    assertThat(hints).containsKey(name);
    List<Map<String, Object>> values = JsonPath.read(hints.get(name), "$.values");
    values.forEach(v -> assertThat((String) v.get("description")).as(name).isNotBlank());
    return values.stream().map(v -> v.get("value")).toList();
  }

  /** The metadata's default is {@code shown} and is the builder's constant. */
  private void assertDurationDefault(String name, String shown, Duration constant) {
    assertThat(defaultOf(name)).isEqualTo(shown).isEqualTo(Durations.format(constant));
  }

  private Object defaultOf(String name) {
    assertThat(properties).containsKey(name);
    return properties.get(name).get("defaultValue");
  }

  private Map<String, Map<String, Object>> byName(String path) {
    List<Map<String, Object>> all = JsonPath.read(json, path);
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Map<String, Object> entry : all) {
      byName.put((String) entry.get("name"), entry);
    }
    return byName;
  }

  private static String read() {
    try (InputStream in =
        ConfigurationMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
