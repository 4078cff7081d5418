package io.smsfeedback;

import io.smsfeedback.config.Durations;
import io.smsfeedback.config.PropertyReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of the core: where and how to reach 8x8, and the reporter's and tracker's
 * limits. Built with {@link #builder()} or read from {@code sms.feedback.*} properties with {@link
 * #fromProperties(Map)}.
 *
 * <p>Every setter validates eagerly; {@link Builder#build()} checks the cross-field rules. Messages
 * name the property ({@code sms.feedback.queue-capacity must be > 0: -1}) and never contain the API
 * key. {@link #toString()} shows the key as {@code ****} plus its last four characters.
 *
 * <p>Longer than the project's ~400 lines a class: each setting has its constant, default, getter
 * and validating setter here, side by side, so that one setting reads in one place. String parsing
 * is {@link PropertyReader}'s, shared by every module; {@link #fromProperties} only maps keys to
 * setters.
 */
public final class FeedbackSettings {

  /** Prefix of every property: {@value}. */
  public static final String PREFIX = "sms.feedback.";

  public static final String API_KEY = PREFIX + "api-key";
  public static final String SUB_ACCOUNT_ID = PREFIX + "sub-account-id";
  public static final String REGION = PREFIX + "region";
  public static final String BASE_URL = PREFIX + "base-url";
  public static final String VALIDITY = PREFIX + "validity";
  public static final String QUEUE_CAPACITY = PREFIX + "queue-capacity";
  public static final String MAX_CONCURRENT_REQUESTS = PREFIX + "max-concurrent-requests";
  public static final String CONNECT_TIMEOUT = PREFIX + "connect-timeout";
  public static final String RESPONSE_TIMEOUT = PREFIX + "response-timeout";
  public static final String RETRY_INITIAL_BACKOFF = PREFIX + "retry.initial-backoff";
  public static final String RETRY_MAX_BACKOFF = PREFIX + "retry.max-backoff";
  public static final String SHUTDOWN_TIMEOUT = PREFIX + "shutdown-timeout";
  public static final String MAX_ATTEMPTS = PREFIX + "max-attempts";
  public static final String ABANDON_AFTER = PREFIX + "abandon-after";
  public static final String MAX_TRACKED = PREFIX + "max-tracked";

  /** Every core property key, in documentation order. */
  public static final List<String> PROPERTY_KEYS =
      List.of(
          API_KEY,
          SUB_ACCOUNT_ID,
          REGION,
          BASE_URL,
          VALIDITY,
          QUEUE_CAPACITY,
          MAX_CONCURRENT_REQUESTS,
          CONNECT_TIMEOUT,
          RESPONSE_TIMEOUT,
          RETRY_INITIAL_BACKOFF,
          RETRY_MAX_BACKOFF,
          SHUTDOWN_TIMEOUT,
          MAX_ATTEMPTS,
          ABANDON_AFTER,
          MAX_TRACKED);

  /** Default region: {@link Region#ASIA}. */
  public static final Region DEFAULT_REGION = Region.ASIA;
  /** Default and maximum validity: 15 minutes, 8x8's window. Range (0, 15m]. */
  public static final Duration MAX_VALIDITY = Duration.ofMinutes(15);
  /** Default queue capacity: 10000. Range 1 to 10,000,000. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /**
   * Default ceiling of the adaptive in-flight limit: 512 (carries 2,560 feedbacks/s at a 200 ms
   * round trip; the limit starts at 16 and only grows while answers are healthy and a backlog
   * waits). Range 1 to 1024.
   */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;
  /** Default connect timeout: 2s. Range (0, 5m]. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Default response timeout: 5s. Range (0, 5m]. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(5);
  /** Default first retry backoff: 500ms. Range (0, max-backoff]. */
  public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(500);
  /** Default backoff cap: 30s. Range [initial-backoff, 15m]. */
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Default time {@code close()} waits for deliveries: 10s. Range [0, 15m]. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  /** Default wrong codes before failure: 0, meaning off. Range 0 to 1000. */
  public static final int DEFAULT_MAX_ATTEMPTS = 0;
  /** Default time after the send with no success before failure is reported: 10m. Range (0, validity). */
  public static final Duration DEFAULT_ABANDON_AFTER = Duration.ofMinutes(10);
  /** Default bound on OTPs tracked at once: 100000. Range 1 to 100,000,000. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  private final String apiKey;
  private final String subAccountId;
  private final Region region;
  private final @Nullable URI baseUrlOverride;
  private final Duration validity;
  private final int queueCapacity;
  private final int maxConcurrentRequests;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Duration retryInitialBackoff;
  private final Duration retryMaxBackoff;
  private final Duration shutdownTimeout;
  private final int maxAttempts;
  private final Duration abandonAfter;
  private final int maxTracked;
  private final @Nullable SSLContext sslContext;

  private FeedbackSettings(Builder b) {
    this.apiKey = Objects.requireNonNull(b.apiKey);
    this.subAccountId = Objects.requireNonNull(b.subAccountId);
    this.region = b.region;
    this.baseUrlOverride = b.baseUrl;
    this.validity = b.validity;
    this.queueCapacity = b.queueCapacity;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.connectTimeout = b.connectTimeout;
    this.responseTimeout = b.responseTimeout;
    this.retryInitialBackoff = b.retryInitialBackoff;
    this.retryMaxBackoff = b.retryMaxBackoff;
    this.shutdownTimeout = b.shutdownTimeout;
    this.maxAttempts = b.maxAttempts;
    this.abandonAfter = b.abandonAfter;
    this.maxTracked = b.maxTracked;
    this.sslContext = b.sslContext;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiKey = apiKey;
    b.subAccountId = subAccountId;
    b.region = region;
    b.baseUrl = baseUrlOverride;
    b.sslContext = sslContext;
    b.validity = validity;
    b.queueCapacity = queueCapacity;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.connectTimeout = connectTimeout;
    b.responseTimeout = responseTimeout;
    b.retryInitialBackoff = retryInitialBackoff;
    b.retryMaxBackoff = retryMaxBackoff;
    b.shutdownTimeout = shutdownTimeout;
    b.maxAttempts = maxAttempts;
    b.abandonAfter = abandonAfter;
    b.maxTracked = maxTracked;
    return b;
  }

  /**
   * Reads settings from {@code sms.feedback.*} keys; other keys are ignored. Blank values count as
   * absent.
   *
   * @throws IllegalArgumentException naming the first property that is missing or invalid
   */
  public static FeedbackSettings fromProperties(Map<String, String> properties) {
    PropertyReader r = PropertyReader.of(properties);
    Builder b = builder();
    r.string(API_KEY).ifPresent(b::apiKey);
    r.string(SUB_ACCOUNT_ID).ifPresent(b::subAccountId);
    r.parsed(REGION, Region::parse).ifPresent(b::region);
    r.parsed(BASE_URL, URI::create).ifPresent(b::baseUrl);
    r.duration(VALIDITY).ifPresent(b::validity);
    r.integer(QUEUE_CAPACITY).ifPresent(b::queueCapacity);
    r.integer(MAX_CONCURRENT_REQUESTS).ifPresent(b::maxConcurrentRequests);
    r.duration(CONNECT_TIMEOUT).ifPresent(b::connectTimeout);
    r.duration(RESPONSE_TIMEOUT).ifPresent(b::responseTimeout);
    r.duration(RETRY_INITIAL_BACKOFF).ifPresent(b::retryInitialBackoff);
    r.duration(RETRY_MAX_BACKOFF).ifPresent(b::retryMaxBackoff);
    r.duration(SHUTDOWN_TIMEOUT).ifPresent(b::shutdownTimeout);
    r.integer(MAX_ATTEMPTS).ifPresent(b::maxAttempts);
    r.duration(ABANDON_AFTER).ifPresent(b::abandonAfter);
    r.integer(MAX_TRACKED).ifPresent(b::maxTracked);
    return b.build();
  }

  /**
   * The environment variable that overrides a property: upper case, {@code .} and {@code -} as
   * {@code _}. {@code sms.feedback.retry.initial-backoff} is {@code SMS_FEEDBACK_RETRY_INITIAL_BACKOFF}.
   */
  public static String environmentVariable(String propertyKey) {
    return propertyKey.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The key that authenticates us to 8x8. Never log it. */
  public String apiKey() {
    return apiKey;
  }

  /** The default subaccount, for umids stored without one. */
  public String subAccountId() {
    return subAccountId;
  }

  public Region region() {
    return region;
  }

  /** The base URL in effect: {@code base-url} if set, else the region's. No trailing slash. */
  public URI baseUrl() {
    return baseUrlOverride != null ? baseUrlOverride : region.baseUrl();
  }

  /** How long after the send 8x8 still counts feedback; also the retry deadline. */
  public Duration validity() {
    return validity;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** The ceiling of the adaptive number of requests in flight (and of the connection pool). */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration responseTimeout() {
    return responseTimeout;
  }

  public Duration retryInitialBackoff() {
    return retryInitialBackoff;
  }

  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Wrong codes that make an OTP a failure; 0 means wrong codes are never terminal. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration abandonAfter() {
    return abandonAfter;
  }

  public int maxTracked() {
    return maxTracked;
  }

  /**
   * The TLS context for {@code https} connections to 8x8 (its trust decides which certificates are
   * accepted), or null for the JVM's default (the system trust store).
   */
  public @Nullable SSLContext sslContext() {
    return sslContext;
  }

  /** The API key masked as {@code ****} plus its last four characters (only {@code ****} if short). */
  public static String mask(@Nullable String secret) {
    if (secret == null || secret.length() < 12) {
      return "****";
    }
    return "****" + secret.substring(secret.length() - 4);
  }

  @Override
  public String toString() {
    return "FeedbackSettings{apiKey="
        + mask(apiKey)
        + ", subAccountId="
        + subAccountId
        + ", baseUrl="
        + baseUrl()
        + ", validity="
        + Durations.format(validity)
        + ", queueCapacity="
        + queueCapacity
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", connectTimeout="
        + Durations.format(connectTimeout)
        + ", responseTimeout="
        + Durations.format(responseTimeout)
        + ", retryInitialBackoff="
        + Durations.format(retryInitialBackoff)
        + ", retryMaxBackoff="
        + Durations.format(retryMaxBackoff)
        + ", shutdownTimeout="
        + Durations.format(shutdownTimeout)
        + ", maxAttempts="
        + maxAttempts
        + ", abandonAfter="
        + Durations.format(abandonAfter)
        + ", maxTracked="
        + maxTracked
        + (sslContext == null ? "" : ", sslContext=custom")
        + '}';
  }

  /** Builds {@link FeedbackSettings}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String apiKey;
    private @Nullable String subAccountId;
    private Region region = DEFAULT_REGION;
    private @Nullable URI baseUrl;
    private Duration validity = MAX_VALIDITY;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration abandonAfter = DEFAULT_ABANDON_AFTER;
    private int maxTracked = DEFAULT_MAX_TRACKED;
    private @Nullable SSLContext sslContext;

    private Builder() {}

    /** Required. Must not be blank or contain whitespace; never echoed in messages. */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, API_KEY);
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException(API_KEY + " must not be blank");
      }
      if (!apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            API_KEY + " must be printable ASCII without spaces (value not shown)");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** Required. Must match {@link SentOtp#SUB_ACCOUNT_ID}. */
    public Builder subAccountId(String subAccountId) {
      this.subAccountId = checkSubAccountId(subAccountId);
      return this;
    }

    public Builder region(Region region) {
      this.region = Objects.requireNonNull(region, REGION);
      return this;
    }

    /**
     * Overrides the region's URL. Must be {@code https}, or {@code http} on a loopback host (tests,
     * the simulator). A trailing slash is removed; a query or fragment is refused.
     */
    public Builder baseUrl(@Nullable URI baseUrl) {
      if (baseUrl == null) {
        this.baseUrl = null;
        return this;
      }
      String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      String host = baseUrl.getHost();
      if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
        throw new IllegalArgumentException(
            BASE_URL + " must be an absolute http(s) URL: " + PropertyReader.redactUserInfo(baseUrl.toString()));
      }
      if (scheme.equals("http") && !isLoopback(host)) {
        throw new IllegalArgumentException(
            BASE_URL
                + " must use https (http is allowed only for loopback hosts): "
                + PropertyReader.redactUserInfo(baseUrl.toString()));
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null || baseUrl.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            BASE_URL
                + " must not have user info, a query or a fragment: "
                + PropertyReader.redactUserInfo(baseUrl.toString()));
      }
      String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      try {
        URI root = new URI(scheme, null, host, baseUrl.getPort(), null, null, null);
        this.baseUrl = URI.create(root + path);
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            BASE_URL + " is invalid: " + PropertyReader.redactUserInfo(baseUrl.toString()));
      }
      return this;
    }

    /** (0, 15m]. Default 15m. */
    public Builder validity(Duration validity) {
      this.validity = positive(VALIDITY, validity);
      if (validity.compareTo(MAX_VALIDITY) > 0) {
        throw new IllegalArgumentException(
            VALIDITY + " must be at most 15m (8x8's window): " + Durations.format(validity));
      }
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = range(QUEUE_CAPACITY, queueCapacity, 1, 10_000_000);
      return this;
    }

    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = range(MAX_CONCURRENT_REQUESTS, maxConcurrentRequests, 1, 1024);
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = atMost(CONNECT_TIMEOUT, positive(CONNECT_TIMEOUT, connectTimeout), MAX_TIMEOUT);
      return this;
    }

    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout =
          atMost(RESPONSE_TIMEOUT, positive(RESPONSE_TIMEOUT, responseTimeout), MAX_TIMEOUT);
      return this;
    }

    public Builder retryInitialBackoff(Duration retryInitialBackoff) {
      this.retryInitialBackoff = positive(RETRY_INITIAL_BACKOFF, retryInitialBackoff);
      return this;
    }

    public Builder retryMaxBackoff(Duration retryMaxBackoff) {
      this.retryMaxBackoff =
          atMost(RETRY_MAX_BACKOFF, positive(RETRY_MAX_BACKOFF, retryMaxBackoff), MAX_VALIDITY);
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      Objects.requireNonNull(shutdownTimeout, SHUTDOWN_TIMEOUT);
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException(
            SHUTDOWN_TIMEOUT + " must be >= 0: " + Durations.format(shutdownTimeout));
      }
      this.shutdownTimeout = atMost(SHUTDOWN_TIMEOUT, shutdownTimeout, MAX_VALIDITY);
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = range(MAX_ATTEMPTS, maxAttempts, 0, 1000);
      return this;
    }

    public Builder abandonAfter(Duration abandonAfter) {
      this.abandonAfter = positive(ABANDON_AFTER, abandonAfter);
      return this;
    }

    public Builder maxTracked(int maxTracked) {
      this.maxTracked = range(MAX_TRACKED, maxTracked, 1, 100_000_000);
      return this;
    }

    /**
     * The TLS context for {@code https}: a private CA's trust, a proxy's, or a test server's
     * self-signed certificate. Default: null, the JVM's default context. Host names are still
     * verified.
     */
    public Builder sslContext(@Nullable SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a required setting is missing or settings contradict
     */
    public FeedbackSettings build() {
      if (apiKey == null) {
        throw new IllegalArgumentException(
            API_KEY + " must be set (environment: " + environmentVariable(API_KEY) + ")");
      }
      if (subAccountId == null) {
        throw new IllegalArgumentException(
            SUB_ACCOUNT_ID + " must be set (environment: " + environmentVariable(SUB_ACCOUNT_ID) + ")");
      }
      if (retryInitialBackoff.compareTo(retryMaxBackoff) > 0) {
        throw new IllegalArgumentException(
            RETRY_INITIAL_BACKOFF
                + " ("
                + Durations.format(retryInitialBackoff)
                + ") must not exceed "
                + RETRY_MAX_BACKOFF
                + " ("
                + Durations.format(retryMaxBackoff)
                + ")");
      }
      if (abandonAfter.compareTo(validity) >= 0) {
        throw new IllegalArgumentException(
            ABANDON_AFTER
                + " ("
                + Durations.format(abandonAfter)
                + ") must be less than "
                + VALIDITY
                + " ("
                + Durations.format(validity)
                + "), so that the failure still reaches 8x8 in time");
      }
      return new FeedbackSettings(this);
    }

    private static Duration positive(String key, Duration d) {
      Objects.requireNonNull(d, key);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(key + " must be > 0: " + Durations.format(d));
      }
      return d;
    }

    private static Duration atMost(String key, Duration d, Duration max) {
      if (d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            key + " must be at most " + Durations.format(max) + ": " + Durations.format(d));
      }
      return d;
    }

    private static int range(String key, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            key + " must be between " + min + " and " + max + ": " + v);
      }
      return v;
    }
  }

  /**
   * Checks a subaccount id as every module does: it must match {@link SentOtp#SUB_ACCOUNT_ID}.
   *
   * @return {@code subAccountId}
   * @throws IllegalArgumentException naming {@value #SUB_ACCOUNT_ID} and quoting the value
   */
  public static String checkSubAccountId(String subAccountId) {
    Objects.requireNonNull(subAccountId, SUB_ACCOUNT_ID);
    if (!SentOtp.SUB_ACCOUNT_ID.matcher(subAccountId).matches()) {
      throw new IllegalArgumentException(
          SUB_ACCOUNT_ID
              + " must match "
              + SentOtp.SUB_ACCOUNT_ID.pattern()
              + ": "
              + PropertyReader.quote(subAccountId));
    }
    return subAccountId;
  }

  /**
   * Whether {@code host} is a loopback name or address ({@code localhost}, {@code 127.0.0.0/8},
   * {@code ::1}). Decided without DNS, except that {@code localhost} is taken as loopback.
   */
  public static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a name other than localhost: never resolved here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
