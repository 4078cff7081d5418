package io.smsfeedback.servlet;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.SentOtp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of {@link SmsFeedbackFilter}: where the umid lives in the session, which
 * requests are verifications, and whether the filter is on. The core's settings (API key, timing)
 * are {@link FeedbackSettings}; both are read from the same {@code sms.feedback.*} properties.
 *
 * <p>Built with {@link #builder()} or {@link #fromProperties(Map)}. Every setter validates eagerly
 * and names the property in its message.
 */
public final class FilterSettings {

  /** Whether the filter does anything; {@code false} makes it a pass-through. Default true. */
  public static final String ENABLED = FeedbackSettings.PREFIX + "enabled";

  /** The session attribute holding the umid. Default {@value #DEFAULT_SESSION_ATTRIBUTE}. */
  public static final String SESSION_ATTRIBUTE = FeedbackSettings.PREFIX + "session-attribute";

  /** Comma-separated paths where HTTP status rules decide the verdict. Default none. */
  public static final String VERIFICATION_PATHS = FeedbackSettings.PREFIX + "verification.paths";

  /** Comma-separated HTTP methods the status rules apply to. Default {@code POST,PUT,PATCH}. */
  public static final String VERIFICATION_METHODS =
      FeedbackSettings.PREFIX + "verification.methods";

  /**
   * Regex found in a redirect's {@code Location} that means "wrong code". Default {@code
   * [?&]error}.
   */
  public static final String FAILURE_LOCATION =
      FeedbackSettings.PREFIX + "verification.failure-location";

  /**
   * Comma-separated 4xx statuses that mean "wrong code" on a verification request. Default {@code
   * 401,422}: see {@link #DEFAULT_FAILURE_STATUSES}.
   */
  public static final String FAILURE_STATUSES =
      FeedbackSettings.PREFIX + "verification.failure-statuses";

  /** Whether the jar registers the filter by itself in a servlet container. Default true. */
  public static final String AUTO_REGISTER = FeedbackSettings.PREFIX + "servlet.auto-register";

  /** The filter's own property keys, in documentation order. */
  public static final List<String> PROPERTY_KEYS =
      List.of(
          ENABLED,
          SESSION_ATTRIBUTE,
          VERIFICATION_PATHS,
          VERIFICATION_METHODS,
          FAILURE_LOCATION,
          FAILURE_STATUSES,
          AUTO_REGISTER);

  /**
   * Every key the servlet adapter reads: the core's ({@link FeedbackSettings#PROPERTY_KEYS}) and
   * its own.
   */
  public static final List<String> ALL_PROPERTY_KEYS =
      Stream.concat(FeedbackSettings.PROPERTY_KEYS.stream(), PROPERTY_KEYS.stream()).toList();

  /** Default session attribute: {@value}. */
  public static final String DEFAULT_SESSION_ATTRIBUTE = "io.smsfeedback.UMID";

  /** Default failure pattern for redirect locations: {@value}. */
  public static final String DEFAULT_FAILURE_LOCATION = "[?&]error";

  /**
   * Default statuses that mean "wrong code": 401 and 422, which an app answers only after it read
   * and checked the code. Not 400 (frameworks answer it for a missing or malformed parameter before
   * the handler runs), nor 403 (CSRF refusal), 404, 405, 413, 415 or 429 (refused before the app
   * looked at the code): see the module README's decision table.
   */
  public static final Set<Integer> DEFAULT_FAILURE_STATUSES = Set.of(401, 422);

  /** Default methods judged by the HTTP rules: POST, PUT, PATCH (a GET only shows the form). */
  public static final Set<String> DEFAULT_VERIFICATION_METHODS =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of("POST", "PUT", "PATCH")));

  private static final int MAX_ATTRIBUTE_LENGTH = 200;
  private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z_-]{0,31}");
  private static final Pattern PATH = Pattern.compile("/[^\\s*]*|/([^\\s*]*/)?\\*");

  private final boolean enabled;
  private final boolean autoRegister;
  private final String sessionAttribute;
  private final @Nullable String subAccountId;
  private final List<String> verificationPaths;
  private final Set<String> verificationMethods;
  private final Pattern failureLocation;
  private final Set<Integer> failureStatuses;
  private final Set<String> exactPaths;
  private final List<String> prefixes;

  private FilterSettings(Builder b) {
    this.enabled = b.enabled;
    this.autoRegister = b.autoRegister;
    this.sessionAttribute = b.sessionAttribute;
    this.subAccountId = b.subAccountId;
    this.verificationPaths = List.copyOf(b.verificationPaths);
    this.verificationMethods =
        Collections.unmodifiableSet(new LinkedHashSet<>(b.verificationMethods));
    this.failureLocation = b.failureLocation;
    this.failureStatuses = Collections.unmodifiableSet(new TreeSet<>(b.failureStatuses));
    Set<String> exact = new LinkedHashSet<>();
    List<String> pre = new ArrayList<>();
    for (String p : verificationPaths) {
      if (p.endsWith("/*")) {
        pre.add(p.substring(0, p.length() - 2));
      } else {
        exact.add(p);
      }
    }
    this.exactPaths = Set.copyOf(exact);
    this.prefixes = List.copyOf(pre);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.autoRegister = autoRegister;
    b.sessionAttribute = sessionAttribute;
    b.subAccountId = subAccountId;
    b.verificationPaths = new ArrayList<>(verificationPaths);
    b.verificationMethods = new LinkedHashSet<>(verificationMethods);
    b.failureLocation = failureLocation;
    b.failureStatuses = new TreeSet<>(failureStatuses);
    return b;
  }

  /**
   * Reads the filter's keys ({@link #PROPERTY_KEYS}) and {@code sms.feedback.sub-account-id}; other
   * keys are ignored, blank values count as absent.
   *
   * @throws IllegalArgumentException naming the first property that is invalid
   */
  public static FilterSettings fromProperties(Map<String, String> properties) {
    PropertyReader r = PropertyReader.of(properties);
    Builder b = builder();
    r.bool(ENABLED).ifPresent(b::enabled);
    r.bool(AUTO_REGISTER).ifPresent(b::autoRegister);
    r.string(SESSION_ATTRIBUTE).ifPresent(b::sessionAttribute);
    r.string(FeedbackSettings.SUB_ACCOUNT_ID).ifPresent(b::subAccountId);
    r.string(VERIFICATION_PATHS).map(FilterSettings::split).ifPresent(b::verificationPaths);
    r.string(VERIFICATION_METHODS).map(FilterSettings::split).ifPresent(b::verificationMethods);
    r.string(FAILURE_LOCATION).ifPresent(b::failureLocation);
    r.string(FAILURE_STATUSES).map(FilterSettings::statuses).ifPresent(b::failureStatuses);
    return b.build();
  }

  private static List<String> split(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<Integer> statuses(String v) {
    List<Integer> list = new ArrayList<>();
    for (String s : split(v)) {
      try {
        list.add(Integer.valueOf(s));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            FAILURE_STATUSES + " entries must be HTTP status codes 400-499: " + quote(s), e);
      }
    }
    return list;
  }

  private static String quote(String value) {
    return PropertyReader.quote(value);
  }

  /** Whether the filter does anything. When false it passes every request through untouched. */
  public boolean enabled() {
    return enabled;
  }

  /** Whether the jar's {@code ServletContainerInitializer} registers the filter by itself. */
  public boolean autoRegister() {
    return autoRegister;
  }

  /** The session attribute holding the umid. */
  public String sessionAttribute() {
    return sessionAttribute;
  }

  /**
   * The subaccount for umids stored as a plain {@code String} or {@code UUID}; null only when
   * disabled.
   */
  public @Nullable String subAccountId() {
    return subAccountId;
  }

  /** The verification path patterns: exact paths and {@code /prefix/*}. */
  public List<String> verificationPaths() {
    return verificationPaths;
  }

  /** The HTTP methods (upper case) whose responses the status rules judge. */
  public Set<String> verificationMethods() {
    return verificationMethods;
  }

  /** The pattern searched for in a redirect's {@code Location} to recognise a wrong code. */
  public Pattern failureLocation() {
    return failureLocation;
  }

  /** The 4xx statuses that mean "wrong code" on a verification request. */
  public Set<Integer> failureStatuses() {
    return failureStatuses;
  }

  /**
   * Whether {@code path} (the request path within the context, as {@code servletPath + pathInfo})
   * is a verification path: equal to an exact pattern, or equal to or under a {@code /prefix/*}.
   */
  public boolean isVerificationPath(String path) {
    if (exactPaths.contains(path)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (prefix.isEmpty()
          || path.equals(prefix)
          || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  /** Whether a request with this method and path is judged by the HTTP status rules. */
  public boolean isVerificationRequest(String method, String path) {
    return verificationMethods.contains(method.toUpperCase(Locale.ROOT))
        && isVerificationPath(path);
  }

  @Override
  public String toString() {
    return "FilterSettings{enabled="
        + enabled
        + ", autoRegister="
        + autoRegister
        + ", sessionAttribute="
        + sessionAttribute
        + ", subAccountId="
        + subAccountId
        + ", verificationPaths="
        + verificationPaths
        + ", verificationMethods="
        + verificationMethods
        + ", failureLocation="
        + failureLocation.pattern()
        + ", failureStatuses="
        + failureStatuses
        + '}';
  }

  /** Builds {@link FilterSettings}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private boolean autoRegister = true;
    private String sessionAttribute = DEFAULT_SESSION_ATTRIBUTE;
    private @Nullable String subAccountId;
    private List<String> verificationPaths = new ArrayList<>();
    private Set<String> verificationMethods = new LinkedHashSet<>(DEFAULT_VERIFICATION_METHODS);
    private Pattern failureLocation = Pattern.compile(DEFAULT_FAILURE_LOCATION);
    private Set<Integer> failureStatuses = new TreeSet<>(DEFAULT_FAILURE_STATUSES);

    private Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder autoRegister(boolean autoRegister) {
      this.autoRegister = autoRegister;
      return this;
    }

    /** Not blank, at most 200 characters, no whitespace or control characters. */
    public Builder sessionAttribute(String sessionAttribute) {
      Objects.requireNonNull(sessionAttribute, SESSION_ATTRIBUTE);
      if (sessionAttribute.isEmpty()
          || sessionAttribute.length() > MAX_ATTRIBUTE_LENGTH
          || !sessionAttribute.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
        throw new IllegalArgumentException(
            SESSION_ATTRIBUTE
                + " must be 1 to "
                + MAX_ATTRIBUTE_LENGTH
                + " characters without whitespace: "
                + quote(sessionAttribute));
      }
      this.sessionAttribute = sessionAttribute;
      return this;
    }

    /** The default subaccount; required when enabled. Must match {@link SentOtp#SUB_ACCOUNT_ID}. */
    public Builder subAccountId(@Nullable String subAccountId) {
      this.subAccountId =
          subAccountId == null ? null : FeedbackSettings.checkSubAccountId(subAccountId);
      return this;
    }

    /**
     * Each an exact path ({@code /otp/verify}) or a prefix ({@code /otp/*}, which also matches
     * {@code /otp}); {@code /*} matches everything. Must start with {@code /}; {@code *} only as
     * the final segment.
     */
    public Builder verificationPaths(Collection<String> paths) {
      List<String> list = new ArrayList<>();
      for (String p : Objects.requireNonNull(paths, VERIFICATION_PATHS)) {
        Objects.requireNonNull(p, VERIFICATION_PATHS);
        if (!PATH.matcher(p).matches()) {
          throw new IllegalArgumentException(
              VERIFICATION_PATHS
                  + " entries must be /exact/path or /prefix/* (no spaces, * only at the end): "
                  + quote(p));
        }
        list.add(p);
      }
      this.verificationPaths = list;
      return this;
    }

    public Builder verificationPaths(String... paths) {
      return verificationPaths(List.of(paths));
    }

    /** HTTP method names, case-insensitive; not empty. */
    public Builder verificationMethods(Collection<String> methods) {
      Set<String> set = new LinkedHashSet<>();
      for (String m : Objects.requireNonNull(methods, VERIFICATION_METHODS)) {
        String u = Objects.requireNonNull(m, VERIFICATION_METHODS).trim().toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(u).matches()) {
          throw new IllegalArgumentException(
              VERIFICATION_METHODS + " entries must be HTTP method names: " + quote(m));
        }
        set.add(u);
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException(VERIFICATION_METHODS + " must not be empty");
      }
      this.verificationMethods = set;
      return this;
    }

    public Builder verificationMethods(String... methods) {
      return verificationMethods(List.of(methods));
    }

    /** A Java regex, searched (not fully matched) in the {@code Location} of a 3xx response. */
    public Builder failureLocation(String regex) {
      Objects.requireNonNull(regex, FAILURE_LOCATION);
      try {
        this.failureLocation = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            FAILURE_LOCATION
                + " is not a valid regular expression ("
                + e.getDescription()
                + "): "
                + quote(regex),
            e);
      }
      return this;
    }

    /**
     * Statuses (each 400-499) that mean "wrong code" on a verification request; may be empty (then
     * only the failure redirect and explicit verdicts count wrong codes).
     */
    public Builder failureStatuses(Collection<Integer> statuses) {
      Set<Integer> set = new TreeSet<>();
      for (Integer status : Objects.requireNonNull(statuses, FAILURE_STATUSES)) {
        Objects.requireNonNull(status, FAILURE_STATUSES);
        if (status < 400 || status > 499) {
          throw new IllegalArgumentException(
              FAILURE_STATUSES + " entries must be HTTP status codes 400-499: " + quote("" + status));
        }
        set.add(status);
      }
      this.failureStatuses = set;
      return this;
    }

    public Builder failureStatuses(Integer... statuses) {
      return failureStatuses(List.of(statuses));
    }

    /**
     * @throws IllegalArgumentException if enabled without a subaccount
     */
    public FilterSettings build() {
      if (enabled && subAccountId == null) {
        throw new IllegalArgumentException(
            FeedbackSettings.SUB_ACCOUNT_ID
                + " must be set (environment: "
                + FeedbackSettings.environmentVariable(FeedbackSettings.SUB_ACCOUNT_ID)
                + ")");
      }
      return new FilterSettings(this);
    }
  }
}
