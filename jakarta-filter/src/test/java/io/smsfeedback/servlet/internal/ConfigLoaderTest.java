package io.smsfeedback.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.FeedbackSettings;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  ClassLoader withProperties(String content) throws IOException {
    Files.writeString(dir.resolve(ConfigLoader.RESOURCE), content);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }

  @Test
  void load_laterSourcesWin_contextFilterClasspathSystemEnvironment() throws IOException {
    ClassLoader cl =
        withProperties(
            "sms.feedback.region=europe\n"
                + "sms.feedback.max-attempts=3\n"
                + "sms.feedback.abandon-after=5m\n");
    ConfigLoader loader =
        new ConfigLoader(
            Map.of("SMS_FEEDBACK_ABANDON_AFTER", "7m", "SMS_FEEDBACK_VERIFICATION_PATHS", "/env"),
            Map.of("sms.feedback.max-attempts", "4", "sms.feedback.abandon-after", "6m"));

    Map<String, String> merged =
        loader.load(
            Map.of(
                "sms.feedback.api-key", "context-key",
                "sms.feedback.sub-account-id", "ctx-sub",
                "sms.feedback.region", "asia",
                "unrelated", "x"),
            Map.of("sms.feedback.sub-account-id", "filter-sub", "sms.feedback.region", "indonesia"),
            cl);

    assertThat(merged)
        .containsEntry("sms.feedback.api-key", "context-key")
        .containsEntry("sms.feedback.sub-account-id", "filter-sub")
        .containsEntry("sms.feedback.region", "europe")
        .containsEntry("sms.feedback.max-attempts", "4")
        .containsEntry("sms.feedback.abandon-after", "7m")
        .containsEntry("sms.feedback.verification.paths", "/env")
        .doesNotContainKey("unrelated");
  }

  @Test
  void load_noPropertiesFileIsFine() {
    ConfigLoader loader = new ConfigLoader(Map.of(), Map.of());
    assertThat(loader.load(Map.of(), Map.of(), new URLClassLoader(new URL[0], null))).isEmpty();
  }

  @Test
  void load_unreadablePropertiesFileNamesTheFile() throws IOException {
    ClassLoader cl = withProperties("sms.feedback.region=\\uZZZZ\n");
    ConfigLoader loader = new ConfigLoader(Map.of(), Map.of());
    assertThatThrownBy(() -> loader.load(Map.of(), Map.of(), cl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sms-feedback.properties");
  }

  @Test
  void environment_variableNamesFollowTheCoreRule() {
    ConfigLoader loader =
        new ConfigLoader(
            Map.of(
                "SMS_FEEDBACK_SERVLET_AUTO_REGISTER", "false",
                "SMS_FEEDBACK_VERIFICATION_FAILURE_LOCATION", "failed",
                "SMS_FEEDBACK_SESSION_ATTRIBUTE", "x",
                "SMS_FEEDBACK_ENABLED", "false"),
            Map.of());
    assertThat(loader.load(Map.of(), Map.of(), null))
        .containsEntry("sms.feedback.servlet.auto-register", "false")
        .containsEntry("sms.feedback.verification.failure-location", "failed")
        .containsEntry("sms.feedback.session-attribute", "x")
        .containsEntry("sms.feedback.enabled", "false");
  }

  private static final String KEY = "sk-live-0123456789abcdefWXYZ";

  @Test
  void merge_laterSourcesWin_andTheEnvironmentWinsOverAll() {
    Map<String, String> file =
        Map.of(FeedbackSettings.API_KEY, "from-file-0123456789", FeedbackSettings.QUEUE_CAPACITY, "1",
            FeedbackSettings.REGION, "europe", "unrelated", "x");
    Map<String, String> system =
        Map.of(FeedbackSettings.QUEUE_CAPACITY, "2", FeedbackSettings.REGION, "  ");
    Map<String, String> env =
        Map.of("SMS_FEEDBACK_API_KEY", KEY, "SMS_FEEDBACK_SUB_ACCOUNT_ID", " acme-env ",
            "SMS_FEEDBACK_MAX_TRACKED", "", "PATH", "/bin");

    @SuppressWarnings("unchecked")
    Map<String, String> merged =
        ConfigLoader.merge(FeedbackSettings.PROPERTY_KEYS, env, file, system);

    assertThat(merged)
        .containsEntry(FeedbackSettings.API_KEY, KEY)
        .containsEntry(FeedbackSettings.SUB_ACCOUNT_ID, "acme-env")
        .containsEntry(FeedbackSettings.QUEUE_CAPACITY, "2")
        .containsEntry(FeedbackSettings.REGION, "europe")
        .doesNotContainKey("unrelated")
        .doesNotContainKey(FeedbackSettings.MAX_TRACKED);
    FeedbackSettings s = FeedbackSettings.fromProperties(merged);
    assertThat(s.queueCapacity()).isEqualTo(2);
    assertThat(s.subAccountId()).isEqualTo("acme-env");
  }
}
