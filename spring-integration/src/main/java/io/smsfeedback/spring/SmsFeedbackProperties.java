package io.smsfeedback.spring;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Region;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.insight.PumpingAlarm;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code sms.feedback.*} setting of the core and of the servlet filter, the tracking store's
 * ({@code store}, {@code jdbc.*}), plus the starter's own ({@code health.*}, {@code filter.*}, {@code alarm.*}, {@code guard.*}).
 * Values are only bound here; the core's, the filter's and the JDBC store's builders validate them,
 * so a failed start names the property and the rule.
 *
 * <p>Defaults are the core's {@code FeedbackSettings.DEFAULT_*}, the filter's {@code
 * FilterSettings.DEFAULT_*} and the JDBC store builder's {@code DEFAULT_*} constants themselves
 * (the JDBC durations excepted: {@code sms-feedback-jdbc} is optional, so its class may be absent
 * when this one loads; they are written here and pinned to the builder's by {@code
 * ConfigurationMetadataTest}). Spring's metadata processor cannot read another class's constant, so
 * the defaults the IDE shows come from {@code additional-spring-configuration-metadata.json}, which
 * the same test pins to these constants.
 */
@ConfigurationProperties(prefix = "sms.feedback")
public class SmsFeedbackProperties {

  /**
   * Whether sms-feedback is on. When false no reporter, tracker or filter is created. Without an
   * api-key it stays off as well.
   */
  private boolean enabled = true;

  /**
   * The 8x8 API key (Bearer token) used for the Success Feedback API. Required to switch the
   * starter on; never logged.
   */
  private @Nullable String apiKey;

  /**
   * The 8x8 subaccount the OTP SMS are sent from: 3 to 50 letters, digits or any of - . _ and the
   * ampersand. Required when an api-key is set; used for umids stored without their own subaccount.
   */
  private @Nullable String subAccountId;

  /** The 8x8 region whose API receives the feedback: asia, europe or indonesia. */
  private Region region = FeedbackSettings.DEFAULT_REGION;

  /**
   * Overrides the region's base URL. Must be https, or http on a loopback host (tests, the
   * simulator).
   */
  private @Nullable URI baseUrl;

  /**
   * How long after the send 8x8 still counts feedback; also the retry deadline. At most 15 minutes.
   */
  private Duration validity = FeedbackSettings.MAX_VALIDITY;

  /** Feedback waiting for delivery at most; beyond it new feedback is dropped and counted. */
  private int queueCapacity = FeedbackSettings.DEFAULT_QUEUE_CAPACITY;

  /**
   * Ceiling of the HTTP requests to 8x8 in flight at once, 1 to 1024; the number adapts below it
   * (starts at 16, grows while a backlog waits, halves on timeouts and on 429, 503 or 504 without
   * Retry-After).
   */
  private int maxConcurrentRequests = FeedbackSettings.DEFAULT_MAX_CONCURRENT_REQUESTS;

  /** Timeout for connecting to 8x8, at most 5 minutes. */
  private Duration connectTimeout = FeedbackSettings.DEFAULT_CONNECT_TIMEOUT;

  /** Timeout for 8x8's answer to one attempt, at most 5 minutes; capped by the time left. */
  private Duration responseTimeout = FeedbackSettings.DEFAULT_RESPONSE_TIMEOUT;

  /** How long a graceful shutdown waits for queued feedback to be delivered, at most 15 minutes. */
  private Duration shutdownTimeout = FeedbackSettings.DEFAULT_SHUTDOWN_TIMEOUT;

  /** Wrong codes that make an OTP a failure, 0 to 1000; 0 means wrong codes are never terminal. */
  private int maxAttempts = FeedbackSettings.DEFAULT_MAX_ATTEMPTS;

  /**
   * Time after the send with no successful verification after which failure is reported; must be
   * less than the validity.
   */
  private Duration abandonAfter = FeedbackSettings.DEFAULT_ABANDON_AFTER;

  /** OTPs tracked at once at most; sends beyond it are counted and not tracked. */
  private int maxTracked = FeedbackSettings.DEFAULT_MAX_TRACKED;

  /**
   * The HTTP session attribute holding the umid of the last OTP sent (a String, a UUID or a
   * SentOtp).
   */
  private String sessionAttribute = FilterSettings.DEFAULT_SESSION_ATTRIBUTE;

  /**
   * Where the tracker keeps the OTPs it tracks: memory (this node only, lost on restart) or jdbc
   * (the application's DataSource, shared by every node and kept across restarts; needs
   * sms-feedback-jdbc). A TrackingStore bean of the application replaces either.
   */
  private String store = "memory";

  private final Retry retry = new Retry();

  private final Jdbc jdbc = new Jdbc();

  private final Verification verification = new Verification();

  private final Health health = new Health();

  private final Filter filter = new Filter();

  private final Security security = new Security();

  private final Ott ott = new Ott();

  private final Alarm alarm = new Alarm();

  private final Guard guard = new Guard();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getApiKey() {
    return apiKey;
  }

  public void setApiKey(@Nullable String apiKey) {
    this.apiKey = apiKey;
  }

  public @Nullable String getSubAccountId() {
    return subAccountId;
  }

  public void setSubAccountId(@Nullable String subAccountId) {
    this.subAccountId = subAccountId;
  }

  public Region getRegion() {
    return region;
  }

  public void setRegion(Region region) {
    this.region = region;
  }

  public @Nullable URI getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(@Nullable URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Duration getValidity() {
    return validity;
  }

  public void setValidity(Duration validity) {
    this.validity = validity;
  }

  public int getQueueCapacity() {
    return queueCapacity;
  }

  public void setQueueCapacity(int queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  public int getMaxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public void setMaxConcurrentRequests(int maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getResponseTimeout() {
    return responseTimeout;
  }

  public void setResponseTimeout(Duration responseTimeout) {
    this.responseTimeout = responseTimeout;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Duration getAbandonAfter() {
    return abandonAfter;
  }

  public void setAbandonAfter(Duration abandonAfter) {
    this.abandonAfter = abandonAfter;
  }

  public int getMaxTracked() {
    return maxTracked;
  }

  public void setMaxTracked(int maxTracked) {
    this.maxTracked = maxTracked;
  }

  public String getSessionAttribute() {
    return sessionAttribute;
  }

  public void setSessionAttribute(String sessionAttribute) {
    this.sessionAttribute = sessionAttribute;
  }

  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public Retry getRetry() {
    return retry;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  public Verification getVerification() {
    return verification;
  }

  public Health getHealth() {
    return health;
  }

  public Filter getFilter() {
    return filter;
  }

  public Security getSecurity() {
    return security;
  }

  public Ott getOtt() {
    return ott;
  }

  public Alarm getAlarm() {
    return alarm;
  }

  public Guard getGuard() {
    return guard;
  }

  /**
   * The pumping alarm over the conversion statistics (preview): when a country's recent OTPs stop
   * converting, or its sends surge without converting (RATIONALE.md states the statistics).
   */
  public static class Alarm {

    /** Outcomes (or sends) a country needs in the last 5 minutes before it is judged, 5 to 10^6. */
    private int minSample = PumpingAlarm.Builder.DEFAULT_MIN_SAMPLE;

    /**
     * Alarm when the recent conversion's 95% upper bound is below this fraction of the country's
     * baseline, in (0, 1).
     */
    private double dropFraction = PumpingAlarm.Builder.DEFAULT_DROP_FRACTION;

    /** A send surge is this many times the country's recent 5-minute average, in (1, 1000]. */
    private double surgeFactor = PumpingAlarm.Builder.DEFAULT_SURGE_FACTOR;

    /** Decided outcomes a country needs for a baseline of its own, 1 to 10^6. */
    private int minBaseline = PumpingAlarm.Builder.DEFAULT_MIN_BASELINE;

    /** The conversion assumed when no baseline is known yet, in (0, 1]. */
    private double assumedConversion = PumpingAlarm.Builder.DEFAULT_ASSUMED_CONVERSION;

    /** How long an alarm lasts without a new sign before it clears by itself, 1m to 24h. */
    private Duration clearAfter = PumpingAlarm.Builder.DEFAULT_CLEAR_AFTER;

    public int getMinSample() {
      return minSample;
    }

    public void setMinSample(int minSample) {
      this.minSample = minSample;
    }

    public double getDropFraction() {
      return dropFraction;
    }

    public void setDropFraction(double dropFraction) {
      this.dropFraction = dropFraction;
    }

    public double getSurgeFactor() {
      return surgeFactor;
    }

    public void setSurgeFactor(double surgeFactor) {
      this.surgeFactor = surgeFactor;
    }

    public int getMinBaseline() {
      return minBaseline;
    }

    public void setMinBaseline(int minBaseline) {
      this.minBaseline = minBaseline;
    }

    public double getAssumedConversion() {
      return assumedConversion;
    }

    public void setAssumedConversion(double assumedConversion) {
      this.assumedConversion = assumedConversion;
    }

    public Duration getClearAfter() {
      return clearAfter;
    }

    public void setClearAfter(Duration clearAfter) {
      this.clearAfter = clearAfter;
    }
  }

  /**
   * The send guard (preview, off by default): while a country is in a pumping alarm, every
   * SmsSender bean refuses new sends to it with SmsGuardedException, before any request.
   */
  public static class Guard {

    /** Whether SmsSender beans refuse sends to countries in a pumping alarm. */
    private boolean enabled = false;

    /** Calling codes never refused (digits without '+', e.g. 65), even in alarm. */
    private List<String> allow = new ArrayList<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getAllow() {
      return allow;
    }

    public void setAllow(List<String> allow) {
      this.allow = allow;
    }
  }

  /** Retries of failed deliveries: exponential backoff with full jitter. */
  public static class Retry {

    /** Backoff before the first retry; at most max-backoff. */
    private Duration initialBackoff = FeedbackSettings.DEFAULT_RETRY_INITIAL_BACKOFF;

    /** Upper bound of the backoff between retries, at most 15 minutes. */
    private Duration maxBackoff = FeedbackSettings.DEFAULT_RETRY_MAX_BACKOFF;

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** The JDBC tracking store, used with store=jdbc (sms-feedback-jdbc). */
  public static class Jdbc {

    /**
     * Whether to create the table and its indexes at startup if they are missing (CREATE ... IF NOT
     * EXISTS; nodes starting at once take turns). Otherwise the table must exist.
     */
    private boolean initializeSchema = false;

    /**
     * Prefix of the table (prefix + tracked_otp) and index names: empty, or a letter or underscore
     * followed by at most 39 letters, digits or underscores.
     */
    private String tablePrefix = JdbcTrackingStore.Builder.DEFAULT_TABLE_PREFIX;

    /**
     * How long an abandonment claim or a delivery lease outlives a node that stopped renewing it,
     * 100ms to 5m, and at least 3 times the tracker's scan interval (1s), else the start fails.
     */
    private Duration lease = Duration.ofSeconds(30);

    /** The database, postgresql or h2. Detected from the connection when not set. */
    private @Nullable String dialect;

    /**
     * How long a tracker call on a request thread (recording a send, a verification, a wrong code)
     * may wait for the database, pool included, 10ms to 30s; past it the request goes on without
     * sms-feedback, the store shows as degraded in health, and the write is retried off the
     * request thread.
     */
    private Duration statementTimeout = Duration.ofMillis(250);

    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }

    public String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public Duration getLease() {
      return lease;
    }

    public void setLease(Duration lease) {
      this.lease = lease;
    }

    public Duration getStatementTimeout() {
      return statementTimeout;
    }

    public void setStatementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
    }

    public @Nullable String getDialect() {
      return dialect;
    }

    public void setDialect(@Nullable String dialect) {
      this.dialect = dialect;
    }
  }

  /** Which requests the filter judges by their HTTP answer when no other verdict was given. */
  public static class Verification {

    /**
     * Paths whose answer decides the verdict for a pending umid: exact paths (/otp/verify) or
     * prefixes (/otp/*). A 2xx, or a 3xx whose Location does not match failure-location, is
     * success; one of failure-statuses, or a redirect matching failure-location, is a wrong code.
     * A request that writes a new umid (a send or resend) is never judged.
     */
    private List<String> paths = new ArrayList<>();

    /** HTTP methods the path rules apply to. */
    private List<String> methods = List.copyOf(FilterSettings.DEFAULT_VERIFICATION_METHODS);

    /** Regular expression searched in a redirect's Location that means "wrong code". */
    private String failureLocation = FilterSettings.DEFAULT_FAILURE_LOCATION;

    /**
     * HTTP statuses (400-499) that mean "wrong code" on a verification path. Not 400, 403, 405,
     * 413, 415 or 429 by default: frameworks answer those before the code was checked.
     */
    private List<Integer> failureStatuses =
        List.copyOf(new TreeSet<>(FilterSettings.DEFAULT_FAILURE_STATUSES));

    public List<String> getPaths() {
      return paths;
    }

    public void setPaths(List<String> paths) {
      this.paths = paths;
    }

    public List<String> getMethods() {
      return methods;
    }

    public void setMethods(List<String> methods) {
      this.methods = methods;
    }

    public String getFailureLocation() {
      return failureLocation;
    }

    public void setFailureLocation(String failureLocation) {
      this.failureLocation = failureLocation;
    }

    public List<Integer> getFailureStatuses() {
      return failureStatuses;
    }

    public void setFailureStatuses(List<Integer> failureStatuses) {
      this.failureStatuses = failureStatuses;
    }
  }

  /** The sms-feedback health indicator (Spring Boot Actuator). */
  public static class Health {

    /**
     * Whether 8x8 refusing the API key (401/403) turns the health indicator DOWN until a later
     * delivery succeeds. Off by default: a feedback outage should not take the app out of its load
     * balancer.
     */
    private boolean downOnAuthFailure = false;

    public boolean isDownOnAuthFailure() {
      return downOnAuthFailure;
    }

    public void setDownOnAuthFailure(boolean downOnAuthFailure) {
      this.downOnAuthFailure = downOnAuthFailure;
    }
  }

  /** Registration of the servlet filter. */
  public static class Filter {

    /**
     * Order of the sms-feedback filter. Defaults to one before Spring Security's filter chain
     * (spring.security.filter.order - 1, so -101 by default), which is after Spring Session's.
     */
    private @Nullable Integer order;

    public @Nullable Integer getOrder() {
      return order;
    }

    public void setOrder(@Nullable Integer order) {
      this.order = order;
    }
  }

  /** Which Spring Security authentications prove that the user typed the SMS code. */
  public static class Security {

    /**
     * Authentication classes (fully qualified names) whose success proves the SMS code and whose
     * failure counts as a wrong code, besides the one-time-token ones. A password login never
     * counts unless its class is listed here (for an app whose login password is the SMS code).
     */
    private List<String> codeAuthentications = new ArrayList<>();

    public List<String> getCodeAuthentications() {
      return codeAuthentications;
    }

    public void setCodeAuthentications(List<String> codeAuthentications) {
      this.codeAuthentications = codeAuthentications;
    }
  }

  /**
   * Spring Security's one-time-token login by SMS, set up when the application defines an {@code
   * io.smsfeedback.spring.ott.SmsPhoneNumbers} bean.
   */
  public static class Ott {

    /** Digits of an SMS code, 4 to 10. */
    private int codeLength = 6;

    /** How long a code can be used after it was sent, 10s to 15m. */
    private Duration expiry = Duration.ofMinutes(5);

    /**
     * Wrong codes typed for one sent code, 1 to 100; the last one ends the code (a new one must be
     * requested). Earlier wrong codes keep it usable.
     */
    private int maxAttempts = 5;

    /**
     * Codes held in memory at once at most (1 to 10000000); beyond it expired ones, then the
     * oldest, go. Not used with store=jdbc, where the codes are in a table.
     */
    private int maxCodes = 100000;

    /** Text of the SMS; must contain {code}, which is replaced by the code. */
    private String message = "Your code is {code}";

    /** Where the browser goes after a code was requested: the page where it is typed in. */
    private String codePage = "/login/ott";

    /** Where the browser goes when the SMS could not be sent. */
    private String sendFailureUrl = "/login?sms-failed";

    public int getCodeLength() {
      return codeLength;
    }

    public void setCodeLength(int codeLength) {
      this.codeLength = codeLength;
    }

    public Duration getExpiry() {
      return expiry;
    }

    public void setExpiry(Duration expiry) {
      this.expiry = expiry;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public int getMaxCodes() {
      return maxCodes;
    }

    public void setMaxCodes(int maxCodes) {
      this.maxCodes = maxCodes;
    }

    public String getMessage() {
      return message;
    }

    public void setMessage(String message) {
      this.message = message;
    }

    public String getCodePage() {
      return codePage;
    }

    public void setCodePage(String codePage) {
      this.codePage = codePage;
    }

    public String getSendFailureUrl() {
      return sendFailureUrl;
    }

    public void setSendFailureUrl(String sendFailureUrl) {
      this.sendFailureUrl = sendFailureUrl;
    }
  }
}
