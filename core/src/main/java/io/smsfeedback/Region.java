package io.smsfeedback;

import java.net.URI;
import java.util.Locale;

/** 8x8's regional SMS API endpoints. */
public enum Region {
  /** Asia-Pacific, the default: {@code https://sms.8x8.com}. */
  ASIA("https://sms.8x8.com"),
  /** Europe: {@code https://sms.8x8.uk}. */
  EUROPE("https://sms.8x8.uk"),
  /** Indonesia: {@code https://sms.8x8.id}. */
  INDONESIA("https://sms.8x8.id");

  private final URI baseUrl;

  Region(String baseUrl) {
    this.baseUrl = URI.create(baseUrl);
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /** The lower-case name used in properties: {@code asia}, {@code europe}, {@code indonesia}. */
  public String propertyValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a property value, ignoring case.
   *
   * @throws IllegalArgumentException listing the accepted values
   */
  public static Region parse(String value) {
    for (Region r : values()) {
      if (r.propertyValue().equalsIgnoreCase(value.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException("expected one of asia, europe, indonesia");
  }
}
