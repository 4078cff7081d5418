package io.smsfeedback.spring.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads single values out of small actuator JSON answers (no JSON library: Boot 3 and 4 differ).
 */
final class Json {

  private Json() {}

  static String string(String json, String field) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no string field " + field + " in " + json);
    }
    return m.group(1);
  }

  static String scalar(String json, String field) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*([^,}\\]]+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no field " + field + " in " + json);
    }
    return m.group(1).trim();
  }

  /** The first {@code "value"} of a {@code /actuator/metrics/...} answer. */
  static double metricValue(String json) {
    return Double.parseDouble(scalar(json, "value"));
  }
}
