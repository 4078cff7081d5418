package io.smsfeedback.servlet.internal;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.servlet.FilterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Merges the configuration sources of a plain servlet app, later winning: context init-params,
 * filter init-params, {@value #RESOURCE} on the class path, system properties, {@code
 * SMS_FEEDBACK_*} environment variables.
 */
public final class ConfigLoader {

  /** The class path resource read for properties. */
  public static final String RESOURCE = "sms-feedback.properties";

  private final Map<String, String> environment;
  private final Map<String, String> systemProperties;

  public ConfigLoader(Map<String, String> environment, Map<String, String> systemProperties) {
    this.environment = Map.copyOf(environment);
    this.systemProperties = Map.copyOf(systemProperties);
  }

  /** Reads the real environment and system properties. */
  public static ConfigLoader standard() {
    Map<String, String> system = new LinkedHashMap<>();
    Properties p = System.getProperties();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith(FeedbackSettings.PREFIX)) {
        system.put(name, p.getProperty(name));
      }
    }
    return new ConfigLoader(System.getenv(), system);
  }

  /**
   * @throws IllegalArgumentException if {@value #RESOURCE} exists but cannot be read
   */
  public Map<String, String> load(
      Map<String, String> contextParams,
      Map<String, String> filterParams,
      @Nullable ClassLoader classLoader) {
    return merge(
        FilterSettings.ALL_PROPERTY_KEYS,
        environment,
        contextParams,
        filterParams,
        classpath(classLoader),
        systemProperties);
  }

  /**
   * Layers property sources, later winning, and returns the merged {@code sms.feedback.*} view
   * (blank values count as absent, values are trimmed). For each key of {@code keys}, the
   * environment variable named by {@link FeedbackSettings#environmentVariable} in {@code
   * environment} wins over every map.
   */
  @SafeVarargs
  static Map<String, String> merge(
      List<String> keys, Map<String, String> environment, Map<String, String>... sources) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (Map<String, String> source : sources) {
      source.forEach(
          (k, v) -> {
            String value = PropertyReader.blankAsAbsent(v);
            if (k.startsWith(FeedbackSettings.PREFIX) && value != null) {
              merged.put(k, value);
            }
          });
    }
    PropertyReader env = PropertyReader.of(environment);
    for (String key : keys) {
      env.string(FeedbackSettings.environmentVariable(key)).ifPresent(v -> merged.put(key, v));
    }
    return merged;
  }

  static Map<String, String> classpath(@Nullable ClassLoader classLoader) {
    ClassLoader cl = classLoader != null ? classLoader : ConfigLoader.class.getClassLoader();
    if (cl == null) {
      return Map.of();
    }
    try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Map.of();
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> map = new LinkedHashMap<>();
      for (String name : p.stringPropertyNames()) {
        map.put(name, p.getProperty(name));
      }
      return map;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(RESOURCE + " could not be read: " + e.getMessage(), e);
    }
  }

  /** Copies init parameters ({@code getInitParameterNames}/{@code getInitParameter}) to a map. */
  public static Map<String, String> params(
      @Nullable Enumeration<String> names, Function<String, @Nullable String> value) {
    Map<String, String> map = new LinkedHashMap<>();
    if (names == null) {
      return map;
    }
    for (String name : Collections.list(names)) {
      String v = value.apply(name);
      if (name.startsWith(FeedbackSettings.PREFIX) && v != null) {
        map.put(name, Objects.requireNonNull(v));
      }
    }
    return map;
  }
}
