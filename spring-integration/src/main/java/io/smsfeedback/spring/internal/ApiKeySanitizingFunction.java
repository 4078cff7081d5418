package io.smsfeedback.spring.internal;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the 8x8 API key in Actuator's {@code configprops} and {@code env} endpoints, also when
 * they show values ({@code show-values=always} or {@code when-authorized}): {@code
 * sms.feedback.api-key} in every spelling relaxed binding accepts ({@code sms.feedback.apiKey},
 * {@code SMS_FEEDBACK_API_KEY}, ...). Other keys pass unchanged.
 */
public final class ApiKeySanitizingFunction implements SanitizingFunction {

  /** {@code sms.feedback.api-key} without separators, lower case. */
  private static final String KEY = "smsfeedbackapikey";

  @Override
  public SanitizableData apply(SanitizableData data) {
    return isApiKey(data.getKey()) ? data.withSanitizedValue() : data;
  }

  /** Whether {@code key} names the API key: letters and digits compared, case ignored. */
  static boolean isApiKey(String key) {
    StringBuilder letters = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        letters.append(c);
      }
    }
    return letters.toString().toLowerCase(Locale.ROOT).equals(KEY);
  }
}
