package io.smsfeedback.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads string properties (a {@code Map<String, String>} from a file, init parameters, the
 * environment) the one way every module does: a missing or blank value is absent, values are
 * trimmed, and a value that does not parse fails with an {@link IllegalArgumentException} that
 * names the property and quotes the value ({@code sms.feedback.queue-capacity must be a whole
 * number: "ten"}). The API key's value is never quoted ({@link #quote(String, String)}).
 *
 * <p>Parsing only: ranges and cross-field rules belong to the builder the values are handed to,
 * whose messages name the same properties. Immutable; reads the map on every call.
 */
public final class PropertyReader {

  private static final int SHOWN = 64;

  private final Map<String, String> properties;

  private PropertyReader(Map<String, String> properties) {
    this.properties = Objects.requireNonNull(properties, "properties");
  }

  /** A reader of {@code properties}; keys it is not asked for are ignored. */
  public static PropertyReader of(Map<String, String> properties) {
    return new PropertyReader(properties);
  }

  /** The trimmed value of {@code key}, or empty if it is missing or blank. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(blankAsAbsent(properties.get(key)));
  }

  /**
   * A whole number ({@code int}).
   *
   * @throws IllegalArgumentException {@code <key> must be a whole number: "<value>"}
   */
  public Optional<Integer> integer(String key) {
    return read(key, Integer::parseInt, e -> "must be a whole number");
  }

  /**
   * {@code true} or {@code false}, in any case.
   *
   * @throws IllegalArgumentException {@code <key> must be true or false: "<value>"}
   */
  public Optional<Boolean> bool(String key) {
    return string(key).map(v -> bool(key, v));
  }

  /**
   * A duration in {@link Durations}' syntax.
   *
   * @throws IllegalArgumentException {@code <key> is invalid (<why>): "<value>"}
   */
  public Optional<Duration> duration(String key) {
    return parsed(key, Durations::parse);
  }

  /**
   * A value made by {@code parser}, which throws {@link IllegalArgumentException} saying why it
   * refuses one (an enum's {@code parse}, {@code URI::create}).
   *
   * @throws IllegalArgumentException {@code <key> is invalid (<why>): "<value>"}
   */
  public <T> Optional<T> parsed(String key, Function<String, T> parser) {
    return read(
        key, parser, e -> "is invalid (" + redactUserInfo(String.valueOf(e.getMessage())) + ")");
  }

  /**
   * One of a few named values made by {@code parser} (which throws {@link
   * IllegalArgumentException} for any other).
   *
   * @param expected the accepted values as the message lists them ({@code "postgresql or h2"})
   * @throws IllegalArgumentException {@code <key> must be <expected>: "<value>"}
   */
  public <T> Optional<T> oneOf(String key, String expected, Function<String, T> parser) {
    return read(key, parser, e -> "must be " + expected);
  }

  /**
   * The value of {@code key} made by {@code parser}; if the parser refuses it (an {@link
   * IllegalArgumentException}, {@link NumberFormatException} included), {@code <key> <why>:
   * "<value>"}.
   */
  private <T> Optional<T> read(
      String key, Function<String, T> parser, Function<IllegalArgumentException, String> why) {
    return string(key)
        .map(
            v -> {
              try {
                return parser.apply(v);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    key + " " + why.apply(e) + ": " + quote(key, v), e);
              }
            });
  }

  /**
   * {@code true} or {@code false}, in any case, for a value read elsewhere.
   *
   * @throws IllegalArgumentException {@code <key> must be true or false: "<value>"}
   */
  public static boolean bool(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be true or false: " + quote(key, value.trim()));
  }

  /** {@code null} for a missing or blank value, else the value trimmed. */
  public static @Nullable String blankAsAbsent(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * {@code value} as messages show it: in double quotes, at most 64 characters (then {@code ...}),
   * control characters as {@code ?}, a URL's user info as {@code ****}; the API key's value
   * ({@code key} ending in {@code api-key}) never: {@code (value not shown)}.
   */
  public static String quote(String key, String value) {
    if (key.endsWith("api-key")) {
      return "(value not shown)";
    }
    return quote(value);
  }

  /**
   * {@code value} as messages show it: in double quotes, at most 64 characters (then {@code ...}),
   * control characters as {@code ?}, a URL's user info as {@code ****}. Never pass a secret.
   */
  public static String quote(String value) {
    String shown = value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    return '"' + redactUserInfo(shown).replaceAll("\\p{Cntrl}", "?") + '"';
  }

  /** Hides the user-info part of a URL ({@code https://user:secret@host}). */
  public static String redactUserInfo(String url) {
    return url.replaceAll("//[^/?#@]*@", "//****@");
  }
}
