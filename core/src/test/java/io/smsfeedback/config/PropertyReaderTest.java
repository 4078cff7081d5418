package io.smsfeedback.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.Region;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyReaderTest {

  private static final String KEY = "sms.feedback.some-key";

  private static PropertyReader with(String value) {
    Map<String, String> map = new HashMap<>();
    map.put(KEY, value);
    return PropertyReader.of(map);
  }

  @Test
  void missingOrBlankValues_areAbsent_othersAreTrimmed() {
    assertThat(PropertyReader.of(Map.of()).string(KEY)).isEmpty();
    assertThat(with("   ").string(KEY)).isEmpty();
    assertThat(with("").integer(KEY)).isEmpty();
    assertThat(with(" \t").bool(KEY)).isEmpty();
    assertThat(with(" value ").string(KEY)).contains("value");
    assertThat(PropertyReader.blankAsAbsent(null)).isNull();
    assertThat(PropertyReader.blankAsAbsent(" x ")).isEqualTo("x");
  }

  @Test
  void wholeNumbers_parse_orNameTheKeyAndQuoteTheValue() {
    assertThat(with(" 42 ").integer(KEY)).contains(42);
    assertThatThrownBy(() -> with("1.5").integer(KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(KEY + " must be a whole number: \"1.5\"");
  }

  @Test
  void booleans_ignoreCase_andRefuseAnythingElse() {
    assertThat(with("TRUE").bool(KEY)).contains(true);
    assertThat(with("False").bool(KEY)).contains(false);
    assertThatThrownBy(() -> with("yes").bool(KEY))
        .hasMessage(KEY + " must be true or false: \"yes\"");
  }

  @Test
  void durations_useTheProjectsSyntax_andAskForAUnit() {
    assertThat(with("500ms").duration(KEY)).contains(Duration.ofMillis(500));
    assertThat(with("PT10S").duration(KEY)).contains(Duration.ofSeconds(10));
    assertThatThrownBy(() -> with("2").duration(KEY))
        .hasMessage(
            KEY + " is invalid (expected a duration such as 500ms, 10s, 15m, 1h or ISO-8601"
                + " (PT10S)): \"2\"");
  }

  @Test
  void namedValues_listWhatIsAccepted() {
    assertThat(with("Europe").parsed(KEY, Region::parse)).contains(Region.EUROPE);
    assertThat(with("europe").oneOf(KEY, "asia, europe or indonesia", Region::parse))
        .contains(Region.EUROPE);
    assertThatThrownBy(() -> with("mars").oneOf(KEY, "asia, europe or indonesia", Region::parse))
        .hasMessage(KEY + " must be asia, europe or indonesia: \"mars\"");
    assertThatThrownBy(() -> with("mars").parsed(KEY, Region::parse))
        .hasMessage(KEY + " is invalid (expected one of asia, europe, indonesia): \"mars\"");
  }

  @Test
  void quotedValues_areShortened_controlCharactersReplaced_userInfoHidden() {
    assertThat(PropertyReader.quote("a\nb")).isEqualTo("\"a?b\"");
    assertThat(PropertyReader.quote("x".repeat(100))).isEqualTo('"' + "x".repeat(64) + "...\"");
    assertThatThrownBy(() -> with("https://user:secret@ex ample.com").parsed(KEY, URI::create))
        .hasMessageContaining("//****@")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }

  @Test
  void theApiKeysValue_isNeverQuoted() {
    String apiKey = "sms.feedback.api-key";
    String secret = "sk-live-0123456789abcdef";
    assertThat(PropertyReader.quote(apiKey, secret)).isEqualTo("(value not shown)");
    assertThatThrownBy(() -> PropertyReader.of(Map.of(apiKey, secret)).integer(apiKey))
        .hasMessage(apiKey + " must be a whole number: (value not shown)");
    assertThatThrownBy(() -> PropertyReader.bool(apiKey, secret))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("0123456789"));
  }
}
