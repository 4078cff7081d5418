package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.spring.SmsFeedbackProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OttSettingsTest {

  private final SmsFeedbackProperties.Ott ott = new SmsFeedbackProperties.Ott();

  @Test
  void defaults() {
    OttSettings s = OttSettings.from(ott);
    assertThat(s.codeLength()).isEqualTo(6);
    assertThat(s.expiry()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.maxAttempts()).isEqualTo(5);
    assertThat(s.text("123456")).isEqualTo("Your code is 123456");
    assertThat(s.codePage()).isEqualTo("/login/ott");
  }

  @Test
  void messageWithoutPlaceholder_isRefusedNamingTheProperty() {
    ott.setMessage("Your code is");
    assertThatThrownBy(() -> OttSettings.from(ott))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sms.feedback.ott.message must contain {code}: 'Your code is'");
  }

  @Test
  void codeLengthOutOfRange_isRefused() {
    ott.setCodeLength(3);
    assertThatThrownBy(() -> OttSettings.from(ott))
        .hasMessage("sms.feedback.ott.code-length must be between 4 and 10: 3");
  }

  @Test
  void expiryOutOfRange_isRefused() {
    ott.setExpiry(Duration.ofMinutes(16));
    assertThatThrownBy(() -> OttSettings.from(ott))
        .hasMessage("sms.feedback.ott.expiry must be between 10s and 15m: PT16M");
  }

  @Test
  void maxAttemptsZero_isRefused() {
    ott.setMaxAttempts(0);
    assertThatThrownBy(() -> OttSettings.from(ott))
        .hasMessage("sms.feedback.ott.max-attempts must be between 1 and 100: 0");
  }

  @Test
  void offSiteCodePage_isRefused() {
    ott.setCodePage("//evil.example/x");
    assertThatThrownBy(() -> OttSettings.from(ott))
        .hasMessageStartingWith("sms.feedback.ott.code-page must be a path");
  }
}
