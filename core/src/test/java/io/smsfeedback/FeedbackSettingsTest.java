package io.smsfeedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.config.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedbackSettingsTest {

  static final String KEY = "sk-live-0123456789abcdefWXYZ";

  static FeedbackSettings.Builder valid() {
    return FeedbackSettings.builder().apiKey(KEY).subAccountId("acme-otp");
  }

  static Map<String, String> props(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FeedbackSettings.API_KEY, KEY);
    m.put(FeedbackSettings.SUB_ACCOUNT_ID, "acme-otp");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Asserts an IllegalArgumentException whose message names the property and hides the key. */
  static AbstractThrowableAssert<?, ? extends Throwable> refused(
      Runnable r, String property) {
    return assertThatThrownBy(r::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(property)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Nested
  class Defaults {

    @Test
    void build_withTheRequiredSettings_usesTheDocumentedDefaults() {
      FeedbackSettings s = valid().build();
      assertThat(s.apiKey()).isEqualTo(KEY);
      assertThat(s.subAccountId()).isEqualTo("acme-otp");
      assertThat(s.region()).isEqualTo(Region.ASIA);
      assertThat(s.baseUrl()).isEqualTo(URI.create("https://sms.8x8.com"));
      assertThat(s.validity()).isEqualTo(Duration.ofMinutes(15));
      assertThat(s.queueCapacity()).isEqualTo(FeedbackSettings.DEFAULT_QUEUE_CAPACITY).isEqualTo(10_000);
      assertThat(s.maxConcurrentRequests()).isEqualTo(FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS).isEqualTo(512);
      assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.responseTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(s.retryInitialBackoff()).isEqualTo(Duration.ofMillis(500));
      assertThat(s.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
      assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.maxAttempts()).isZero();
      assertThat(s.abandonAfter()).isEqualTo(Duration.ofMinutes(10));
      assertThat(s.maxTracked()).isEqualTo(100_000);
    }

    @Test
    void toBuilder_roundTrips() {
      FeedbackSettings s =
          valid()
              .region(Region.EUROPE)
              .validity(Duration.ofMinutes(12))
              .abandonAfter(Duration.ofMinutes(8))
              .queueCapacity(5)
              .maxAttempts(3)
              .build();
      assertThat(s.toBuilder().build().toString()).isEqualTo(s.toString());
      assertThat(s.toBuilder().queueCapacity(6).build().queueCapacity()).isEqualTo(6);
    }
  }

  @Nested
  class Required {

    @Test
    void missingApiKey_namesThePropertyAndTheEnvironmentVariable() {
      refused(() -> FeedbackSettings.builder().subAccountId("acme").build(), "sms.feedback.api-key")
          .hasMessageContaining("SMS_FEEDBACK_API_KEY");
    }

    @Test
    void missingSubAccount_namesThePropertyAndTheEnvironmentVariable() {
      refused(() -> FeedbackSettings.builder().apiKey(KEY).build(), "sms.feedback.sub-account-id")
          .hasMessageContaining("SMS_FEEDBACK_SUB_ACCOUNT_ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "sk live with spaces", "sk-\u00e9t\u00e9-0123456789", "sk\t0123456789abc"})
    void invalidApiKey_isRefusedWithoutEchoingIt(String key) {
      assertThatThrownBy(() -> FeedbackSettings.builder().apiKey(key))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sms.feedback.api-key")
          .satisfies(e -> {
            if (!key.isBlank()) {
              assertThat(e.getMessage()).doesNotContain(key).doesNotContain(key.trim());
            }
          });
    }

    @Test
    void nullApiKey_namesTheProperty() {
      assertThatThrownBy(() -> FeedbackSettings.builder().apiKey(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("sms.feedback.api-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "has space", "a/b/c", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "semi;colon", "ü-umlaut"})
    void invalidSubAccount_isRefused(String sub) {
      refused(() -> valid().subAccountId(sub), "sms.feedback.sub-account-id")
          .hasMessageContaining("^[A-Za-z0-9\\-._&]{3,50}$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "A-b.c_d&9", "x"})
    void validSubAccounts_areAccepted(String sub) {
      if (sub.length() >= 3) {
        assertThat(valid().subAccountId(sub).build().subAccountId()).isEqualTo(sub);
      } else {
        refused(() -> valid().subAccountId(sub), "sms.feedback.sub-account-id");
      }
    }
  }

  @Nested
  class Endpoint {

    @ParameterizedTest
    @CsvSource({"asia,https://sms.8x8.com", "europe,https://sms.8x8.uk", "INDONESIA,https://sms.8x8.id",
        "' Europe ',https://sms.8x8.uk"})
    void region_choosesTheBaseUrl(String region, String url) {
      FeedbackSettings s =
          FeedbackSettings.fromProperties(props(FeedbackSettings.REGION, region));
      assertThat(s.baseUrl()).isEqualTo(URI.create(url));
    }

    @Test
    void unknownRegion_listsTheAcceptedValues() {
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.REGION, "mars")),
              "sms.feedback.region")
          .hasMessageContaining("asia, europe, indonesia")
          .hasMessageContaining("mars");
    }

    @ParameterizedTest
    @CsvSource({
      "https://sms.example.com,https://sms.example.com",
      "https://sms.example.com/,https://sms.example.com",
      "https://sms.example.com:8443/base//,https://sms.example.com:8443/base",
      "http://127.0.0.1:8080,http://127.0.0.1:8080",
      "http://localhost:1/,http://localhost:1",
      "http://[::1]:9000,http://[::1]:9000",
      "http://127.9.8.7,http://127.9.8.7",
      "HTTPS://sms.example.com,https://sms.example.com"
    })
    void baseUrl_acceptsHttpsAndLoopbackHttp(String given, String expected) {
      assertThat(valid().baseUrl(URI.create(given)).build().baseUrl()).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://sms.8x8.com", "http://otp-feedback.invalid", "http://localhost.example.com",
        "http://127.0.0.1.nip.io", "ftp://127.0.0.1", "/relative", "https://x.com/?q=1", "https://x.com/#f"})
    void baseUrl_refusesPlainHttpElsewhereAndOddUrls(String url) {
      refused(() -> valid().baseUrl(URI.create(url)), "sms.feedback.base-url");
    }

    @Test
    void baseUrl_withUserInfo_isRefusedWithoutEchoingIt() {
      refused(() -> valid().baseUrl(URI.create("https://user:hunter2@sms.example.com")),
              "sms.feedback.base-url")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void baseUrl_overridesTheRegion_andNullRestoresIt() {
      FeedbackSettings.Builder b = valid().region(Region.EUROPE).baseUrl(URI.create("http://127.0.0.1:1"));
      assertThat(b.build().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:1"));
      assertThat(b.baseUrl(null).build().baseUrl()).isEqualTo(URI.create("https://sms.8x8.uk"));
    }

    @Test
    void malformedBaseUrlProperty_namesTheProperty() {
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.BASE_URL, "https://exa mple.com")),
          "sms.feedback.base-url");
    }

    @Test
    void isLoopback_decidesWithoutDns() {
      assertThat(FeedbackSettings.isLoopback("localhost")).isTrue();
      assertThat(FeedbackSettings.isLoopback("LOCALHOST")).isTrue();
      assertThat(FeedbackSettings.isLoopback("127.0.0.1")).isTrue();
      assertThat(FeedbackSettings.isLoopback("[::1]")).isTrue();
      assertThat(FeedbackSettings.isLoopback("::1")).isTrue();
      assertThat(FeedbackSettings.isLoopback("128.0.0.1")).isFalse();
      assertThat(FeedbackSettings.isLoopback("example.com")).isFalse();
      assertThat(FeedbackSettings.isLoopback("::2")).isFalse();
    }
  }

  @Nested
  class Limits {

    @Test
    void validity_isAtMostFifteenMinutes() {
      assertThat(valid().validity(Duration.ofMinutes(15)).build().validity()).isEqualTo(Duration.ofMinutes(15));
      refused(() -> valid().validity(Duration.ofMinutes(16)), "sms.feedback.validity")
          .hasMessageContaining("at most 15m").hasMessageContaining("16m");
      refused(() -> valid().validity(Duration.ZERO), "sms.feedback.validity").hasMessageContaining("> 0");
      refused(() -> valid().validity(Duration.ofSeconds(-1)), "sms.feedback.validity");
    }

    @Test
    void queueCapacity_isBetweenOneAndTenMillion() {
      assertThat(valid().queueCapacity(1).build().queueCapacity()).isEqualTo(1);
      assertThat(valid().queueCapacity(10_000_000).build().queueCapacity()).isEqualTo(10_000_000);
      refused(() -> valid().queueCapacity(0), "sms.feedback.queue-capacity").hasMessageEndingWith(": 0");
      refused(() -> valid().queueCapacity(-1), "sms.feedback.queue-capacity").hasMessageEndingWith(": -1");
      refused(() -> valid().queueCapacity(10_000_001), "sms.feedback.queue-capacity");
    }

    @Test
    void maxConcurrentRequests_isBetweenOneAnd1024() {
      assertThat(valid().maxConcurrentRequests(1024).build().maxConcurrentRequests()).isEqualTo(1024);
      refused(() -> valid().maxConcurrentRequests(0), "sms.feedback.max-concurrent-requests");
      refused(() -> valid().maxConcurrentRequests(1025), "sms.feedback.max-concurrent-requests");
    }

    @Test
    void timeouts_arePositiveAndAtMostFiveMinutes() {
      assertThat(valid().connectTimeout(Duration.ofMinutes(5)).build().connectTimeout()).isEqualTo(Duration.ofMinutes(5));
      assertThat(valid().responseTimeout(Duration.ofMillis(1)).build().responseTimeout()).isEqualTo(Duration.ofMillis(1));
      refused(() -> valid().connectTimeout(Duration.ZERO), "sms.feedback.connect-timeout");
      refused(() -> valid().connectTimeout(Duration.ofMinutes(6)), "sms.feedback.connect-timeout")
          .hasMessageContaining("at most 5m");
      refused(() -> valid().responseTimeout(Duration.ofMillis(-5)), "sms.feedback.response-timeout");
      refused(() -> valid().responseTimeout(Duration.ofMinutes(5).plusMillis(1)), "sms.feedback.response-timeout");
    }

    @Test
    void backoffs_arePositive_maxAtMostFifteenMinutes_andInitialNotAboveMax() {
      FeedbackSettings s =
          valid().retryInitialBackoff(Duration.ofSeconds(2)).retryMaxBackoff(Duration.ofSeconds(2)).build();
      assertThat(s.retryInitialBackoff()).isEqualTo(s.retryMaxBackoff());
      refused(() -> valid().retryInitialBackoff(Duration.ZERO), "sms.feedback.retry.initial-backoff");
      refused(() -> valid().retryMaxBackoff(Duration.ofMinutes(16)), "sms.feedback.retry.max-backoff");
      refused(
              () -> valid().retryInitialBackoff(Duration.ofSeconds(40)).build(),
              "sms.feedback.retry.initial-backoff")
          .hasMessageContaining("sms.feedback.retry.max-backoff")
          .hasMessageContaining("40s")
          .hasMessageContaining("30s");
    }

    @Test
    void shutdownTimeout_mayBeZeroButNotNegativeNorAboveFifteenMinutes() {
      assertThat(valid().shutdownTimeout(Duration.ZERO).build().shutdownTimeout()).isZero();
      refused(() -> valid().shutdownTimeout(Duration.ofMillis(-1)), "sms.feedback.shutdown-timeout")
          .hasMessageEndingWith("-1ms");
      refused(() -> valid().shutdownTimeout(Duration.ofMinutes(16)), "sms.feedback.shutdown-timeout");
    }

    @Test
    void maxAttempts_isBetweenZeroAndAThousand() {
      assertThat(valid().maxAttempts(0).build().maxAttempts()).isZero();
      assertThat(valid().maxAttempts(1000).build().maxAttempts()).isEqualTo(1000);
      refused(() -> valid().maxAttempts(-1), "sms.feedback.max-attempts");
      refused(() -> valid().maxAttempts(1001), "sms.feedback.max-attempts");
    }

    @Test
    void abandonAfter_isPositiveAndBelowTheValidity() {
      assertThat(valid().abandonAfter(Duration.ofMinutes(14)).build().abandonAfter())
          .isEqualTo(Duration.ofMinutes(14));
      refused(() -> valid().abandonAfter(Duration.ZERO), "sms.feedback.abandon-after");
      refused(() -> valid().abandonAfter(Duration.ofMinutes(15)).build(), "sms.feedback.abandon-after")
          .hasMessageContaining("sms.feedback.validity");
      refused(() -> valid().validity(Duration.ofMinutes(5)).build(), "sms.feedback.abandon-after")
          .hasMessageContaining("10m").hasMessageContaining("5m");
      assertThat(valid().validity(Duration.ofMinutes(5)).abandonAfter(Duration.ofMinutes(4)).build().validity())
          .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void maxTracked_isBetweenOneAndAHundredMillion() {
      assertThat(valid().maxTracked(1).build().maxTracked()).isEqualTo(1);
      refused(() -> valid().maxTracked(0), "sms.feedback.max-tracked");
      refused(() -> valid().maxTracked(100_000_001), "sms.feedback.max-tracked");
    }

    @Test
    void nullDurations_nameTheProperty() {
      assertThatThrownBy(() -> valid().connectTimeout(null)).hasMessageContaining("sms.feedback.connect-timeout");
      assertThatThrownBy(() -> valid().shutdownTimeout(null)).hasMessageContaining("sms.feedback.shutdown-timeout");
      assertThatThrownBy(() -> valid().region(null)).hasMessageContaining("sms.feedback.region");
    }
  }

  @Nested
  class Properties {

    @Test
    void fromProperties_readsEveryKey() {
      FeedbackSettings s =
          FeedbackSettings.fromProperties(
              props(
                  FeedbackSettings.REGION, "europe",
                  FeedbackSettings.BASE_URL, "http://127.0.0.1:8080/",
                  FeedbackSettings.VALIDITY, "14m",
                  FeedbackSettings.QUEUE_CAPACITY, " 42 ",
                  FeedbackSettings.MAX_CONCURRENT_REQUESTS, "3",
                  FeedbackSettings.CONNECT_TIMEOUT, "500ms",
                  FeedbackSettings.RESPONSE_TIMEOUT, "PT10S",
                  FeedbackSettings.RETRY_INITIAL_BACKOFF, "250ms",
                  FeedbackSettings.RETRY_MAX_BACKOFF, "1m",
                  FeedbackSettings.SHUTDOWN_TIMEOUT, "0s",
                  FeedbackSettings.MAX_ATTEMPTS, "5",
                  FeedbackSettings.ABANDON_AFTER, "PT13M",
                  FeedbackSettings.MAX_TRACKED, "77",
                  "sms.feedback.unknown", "ignored",
                  "other.key", "ignored"));
      assertThat(s.region()).isEqualTo(Region.EUROPE);
      assertThat(s.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
      assertThat(s.validity()).isEqualTo(Duration.ofMinutes(14));
      assertThat(s.queueCapacity()).isEqualTo(42);
      assertThat(s.maxConcurrentRequests()).isEqualTo(3);
      assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(s.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.retryInitialBackoff()).isEqualTo(Duration.ofMillis(250));
      assertThat(s.retryMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
      assertThat(s.shutdownTimeout()).isZero();
      assertThat(s.maxAttempts()).isEqualTo(5);
      assertThat(s.abandonAfter()).isEqualTo(Duration.ofMinutes(13));
      assertThat(s.maxTracked()).isEqualTo(77);
    }

    @Test
    void blankValues_countAsAbsent() {
      FeedbackSettings s =
          FeedbackSettings.fromProperties(props(FeedbackSettings.QUEUE_CAPACITY, "  ", FeedbackSettings.REGION, ""));
      assertThat(s.queueCapacity()).isEqualTo(FeedbackSettings.DEFAULT_QUEUE_CAPACITY);
      assertThat(s.region()).isEqualTo(Region.ASIA);
    }

    @Test
    void missingRequiredProperties_areNamed() {
      refused(() -> FeedbackSettings.fromProperties(Map.of()), "sms.feedback.api-key");
      refused(() -> FeedbackSettings.fromProperties(Map.of(FeedbackSettings.API_KEY, KEY)),
          "sms.feedback.sub-account-id");
    }

    @ParameterizedTest
    @CsvSource({
      "sms.feedback.connect-timeout,2",
      "sms.feedback.response-timeout,five seconds",
      "sms.feedback.validity,15 minutes",
      "sms.feedback.retry.initial-backoff,1.5s",
      "sms.feedback.shutdown-timeout,PTxS",
      "sms.feedback.abandon-after,-5m"
    })
    void badDurations_nameThePropertyAndTheValue(String key, String value) {
      refused(() -> FeedbackSettings.fromProperties(props(key, value)), key).hasMessageContaining(value);
    }

    @Test
    void bareNumberDuration_asksForAUnit() {
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.CONNECT_TIMEOUT, "2")),
              "sms.feedback.connect-timeout")
          .hasMessageContaining("500ms, 10s, 15m");
    }

    @ParameterizedTest
    @CsvSource({"sms.feedback.queue-capacity,ten", "sms.feedback.max-concurrent-requests,1.5",
        "sms.feedback.max-attempts,99999999999", "sms.feedback.max-tracked,1e3"})
    void badNumbers_nameThePropertyAndTheValue(String key, String value) {
      refused(() -> FeedbackSettings.fromProperties(props(key, value)), key)
          .hasMessageContaining("whole number").hasMessageContaining(value);
    }

    @Test
    void outOfRangeValues_nameTheProperty() {
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.VALIDITY, "1h")), "sms.feedback.validity");
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.QUEUE_CAPACITY, "0")),
          "sms.feedback.queue-capacity");
    }

    @Test
    void hugeDurations_areRefusedCleanly() {
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.CONNECT_TIMEOUT, "999999999999d")),
          "sms.feedback.connect-timeout");
      refused(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.RETRY_MAX_BACKOFF, "PT2562047788015216H")),
          "sms.feedback.retry.max-backoff");
    }

    @Test
    void invalidKeyProperty_isNeverEchoed() {
      String bad = "sk live 0123456789";
      assertThatThrownBy(() -> FeedbackSettings.fromProperties(props(FeedbackSettings.API_KEY, bad)))
          .hasMessageContaining("sms.feedback.api-key")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("0123456789"));
    }

    @Test
    void everyPropertyKey_isReadByFromProperties() {
      Map<String, String> all = new HashMap<>();
      for (String key : FeedbackSettings.PROPERTY_KEYS) {
        all.put(key, "!invalid!");
      }
      all.put(FeedbackSettings.API_KEY, KEY);
      all.put(FeedbackSettings.SUB_ACCOUNT_ID, "acme");
      for (String key : FeedbackSettings.PROPERTY_KEYS) {
        if (key.equals(FeedbackSettings.API_KEY) || key.equals(FeedbackSettings.SUB_ACCOUNT_ID)) {
          continue;
        }
        Map<String, String> one = props(key, "!invalid!");
        refused(() -> FeedbackSettings.fromProperties(one), key);
      }
      assertThat(FeedbackSettings.PROPERTY_KEYS).hasSize(15).doesNotHaveDuplicates()
          .allMatch(k -> k.startsWith(FeedbackSettings.PREFIX));
    }
  }

  @Nested
  class Environment {

    @Test
    void environmentVariable_isUpperCaseWithUnderscores() {
      assertThat(FeedbackSettings.environmentVariable("sms.feedback.retry.initial-backoff"))
          .isEqualTo("SMS_FEEDBACK_RETRY_INITIAL_BACKOFF");
      assertThat(FeedbackSettings.environmentVariable(FeedbackSettings.API_KEY)).isEqualTo("SMS_FEEDBACK_API_KEY");
    }
  }

  @Nested
  class Secrets {

    @Test
    void toString_masksTheKey_showingOnlyItsLastFourCharacters() {
      String text = valid().build().toString();
      assertThat(text).doesNotContain(KEY).contains("apiKey=****WXYZ").contains("subAccountId=acme-otp")
          .contains("baseUrl=https://sms.8x8.com").contains("validity=15m");
    }

    @Test
    void mask_hidesShortKeysEntirely() {
      assertThat(FeedbackSettings.mask("short-key01")).isEqualTo("****");
      assertThat(FeedbackSettings.mask("twelve-chars")).isEqualTo("****hars");
      assertThat(FeedbackSettings.mask(null)).isEqualTo("****");
      assertThat(valid().apiKey("abc").build().toString()).contains("apiKey=****,").doesNotContain("abc,");
    }

    @Test
    void noValidationMessage_everContainsTheKey() {
      List<Consumer<FeedbackSettings.Builder>> breakers =
          List.of(
              b -> b.queueCapacity(0),
              b -> b.validity(Duration.ofHours(1)),
              b -> b.retryInitialBackoff(Duration.ofMinutes(10)).build(),
              b -> b.abandonAfter(Duration.ofHours(1)).build(),
              b -> b.baseUrl(URI.create("http://example.com")),
              b -> b.subAccountId("!"),
              b -> b.apiKey(KEY + " x"));
      for (Consumer<FeedbackSettings.Builder> breaker : breakers) {
        assertThatThrownBy(() -> breaker.accept(valid()))
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
      }
    }
  }

  @Nested
  class DurationSyntax {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "10s,PT10S", "15m,PT15M", "1h,PT1H", "1d,PT24H", "PT10S,PT10S", "pt1m30s,PT1M30S",
        "' 7 s ',PT7S", "15M,PT15M"})
    void parse_acceptsOurUnitsAndIso(String text, String iso) {
      assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "1.5s", "10 sec", "s", "-5s", "P", "PT", "1w", "1000000000000ms"})
    void parse_refusesEverythingElse(String text) {
      assertThatThrownBy(() -> Durations.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("500ms, 10s, 15m");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT10S,10s", "PT15M,15m", "PT2H,2h", "PT48H,2d", "PT0S,0s", "PT1M0.001S,60001ms",
        "PT-1S,-1s"})
    void format_usesTheShortestExactUnit(String iso, String text) {
      assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
    }

    @Test
    void format_neverThrowsForHugeDurations() {
      assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE))).isNotBlank();
    }
  }
}
