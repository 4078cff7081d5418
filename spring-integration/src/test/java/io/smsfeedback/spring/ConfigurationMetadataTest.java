package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.servlet.FilterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated {@code spring-configuration-metadata.json} documents every setting. */
class ConfigurationMetadataTest {

  private final Map<String, Map<String, Object>> properties = load();

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
    assertThat(defaultOf("sms.feedback.region")).isEqualTo("asia");
    assertThat(defaultOf("sms.feedback.validity")).isEqualTo("15m");
    assertThat(defaultOf("sms.feedback.abandon-after")).isEqualTo("10m");
    assertThat(defaultOf("sms.feedback.queue-capacity"))
        .isEqualTo(FeedbackSettings.DEFAULT_QUEUE_CAPACITY);
    assertThat(defaultOf("sms.feedback.max-concurrent-requests"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS);
    assertThat(defaultOf("sms.feedback.max-tracked"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_TRACKED);
    assertThat(defaultOf("sms.feedback.max-attempts"))
        .isEqualTo(FeedbackSettings.DEFAULT_MAX_ATTEMPTS);
    assertThat(defaultOf("sms.feedback.connect-timeout")).isEqualTo("2s");
    assertThat(defaultOf("sms.feedback.response-timeout")).isEqualTo("5s");
    assertThat(defaultOf("sms.feedback.shutdown-timeout")).isEqualTo("10s");
    assertThat(defaultOf("sms.feedback.retry.initial-backoff")).isEqualTo("500ms");
    assertThat(defaultOf("sms.feedback.retry.max-backoff")).isEqualTo("30s");
    assertThat(defaultOf("sms.feedback.session-attribute"))
        .isEqualTo(FilterSettings.DEFAULT_SESSION_ATTRIBUTE);
    assertThat(defaultOf("sms.feedback.verification.failure-location"))
        .isEqualTo(FilterSettings.DEFAULT_FAILURE_LOCATION);
    assertThat(defaultOf("sms.feedback.verification.methods"))
        .asList()
        .containsExactlyInAnyOrderElementsOf(FilterSettings.DEFAULT_VERIFICATION_METHODS);
    assertThat(defaultOf("sms.feedback.health.down-on-auth-failure")).isEqualTo(false);
  }

  private Object defaultOf(String name) {
    assertThat(properties).containsKey(name);
    return properties.get(name).get("defaultValue");
  }

  private static Map<String, Map<String, Object>> load() {
    try (InputStream in =
        ConfigurationMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata").isNotNull();
      List<Map<String, Object>> all =
          JsonPath.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "$.properties");
      Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
      for (Map<String, Object> property : all) {
        byName.put((String) property.get("name"), property);
      }
      return byName;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
