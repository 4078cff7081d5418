package io.smsfeedback.servlet;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.servlet.internal.ConfigLoader;
import io.smsfeedback.servlet.internal.ContextBinding;
import io.smsfeedback.servlet.internal.Counters;
import io.smsfeedback.servlet.internal.FeedbackComponents;
import io.smsfeedback.servlet.internal.FilterEngine;
import io.smsfeedback.servlet.internal.Markers;
import io.smsfeedback.servlet.internal.SenderBinding;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the umid in the HTTP session and tells a {@link ConversionTracker} about sends and
 * verifications (jakarta-filter/README.md, "The session value" and "The decision table").
 *
 * <p>Per request: reads the session attribute before the chain (never creating a session); after
 * it, reads it again from {@code getSession(false)} (the session may have been replaced). A umid
 * that appeared or changed is a send ({@code sent}, and {@code superseded} for a different previous
 * one). If a umid was pending before the chain, the verdict is, in order: the app's marker ({@link
 * SmsFeedback#verified}/{@link SmsFeedback#rejected}), a framework bridge's ({@link
 * SmsFeedback#currentRequestVerified}), then on {@linkplain FilterSettings#isVerificationRequest
 * verification requests} the HTTP status rules. The action time is when the request arrived.
 *
 * <p>Runs once per request (a second instance in the same chain passes through); ignores ERROR,
 * FORWARD and INCLUDE dispatches; finishes async requests through an {@code AsyncListener}. Never
 * throws into the app: exceptions from the chain propagate unchanged, exceptions of its own are
 * caught, logged once per kind and counted in {@link #stats()}.
 *
 * <p><b>Two ways to make one.</b> {@link #SmsFeedbackFilter(ConversionTracker, FilterSettings,
 * Clock)} uses a tracker you own (Spring, embedded servers). The no-argument constructor (web.xml,
 * automatic registration) configures itself in {@link #init} from init-params, {@code
 * sms-feedback.properties}, system properties and {@code SMS_FEEDBACK_*} environment variables,
 * creates the reporter and tracker, and closes them (tracker, then reporter) when the context
 * stops. Invalid configuration makes {@code init} throw, which fails the web app's start.
 */
public final class SmsFeedbackFilter implements Filter {

  /**
   * The order for frameworks that sort filters (Spring's {@code FilterRegistrationBean}): {@value}.
   * After Spring Session's {@code SessionRepositoryFilter} ({@code Integer.MIN_VALUE + 50}, so the
   * session we read is the one the app sees) and Spring's method-override and form filters, before
   * Spring Security ({@code -100}, so the session is read before session fixation replaces it).
   */
  public static final int DEFAULT_ORDER = -150;

  /** The name used for automatic registration: {@value}. */
  public static final String DEFAULT_FILTER_NAME = "smsFeedbackFilter";

  /** Init-param the initializer sets on the instance it registers. */
  static final String AUTO_REGISTERED_PARAM = "io.smsfeedback.servlet.auto-registered";

  private static final String INSTANCE_ATTRIBUTE = SmsFeedbackFilter.class.getName();

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.servlet");

  private final @Nullable ConversionTracker givenTracker;
  private final @Nullable FilterSettings givenSettings;
  private final Clock clock;
  private final Counters counters = new Counters();
  private volatile @Nullable FilterEngine engine;
  private volatile @Nullable FeedbackComponents owned;
  private volatile @Nullable FilterSettings settings;

  /**
   * A filter that configures itself from properties in {@link #init} and owns the reporter and
   * tracker it creates. For web.xml and automatic registration.
   */
  public SmsFeedbackFilter() {
    this.givenTracker = null;
    this.givenSettings = null;
    this.clock = Clock.systemUTC();
  }

  /**
   * A filter reporting to {@code tracker} (which the caller owns and closes), with the system
   * clock.
   */
  public SmsFeedbackFilter(ConversionTracker tracker, FilterSettings settings) {
    this(tracker, settings, Clock.systemUTC());
  }

  /**
   * A filter reporting to {@code tracker} (which the caller owns and closes); {@code clock} stamps
   * action and send times. If {@code settings} is disabled the filter passes everything through.
   *
   * @throws NullPointerException if an argument is null
   */
  public SmsFeedbackFilter(ConversionTracker tracker, FilterSettings settings, Clock clock) {
    this.givenTracker = Objects.requireNonNull(tracker, "tracker");
    this.givenSettings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = settings;
    if (settings.enabled()) {
      this.engine = new FilterEngine(tracker, settings, clock, counters);
    }
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    ServletContext context = config.getServletContext();
    if (givenSettings != null) {
      publish(context, givenSettings);
      return;
    }
    if (engine != null || settings != null) {
      return; // initialised already
    }
    boolean auto = "true".equals(config.getInitParameter(AUTO_REGISTERED_PARAM));
    if (auto) {
      String other = otherRegistration(context, config.getFilterName());
      if (other != null) {
        LOG.info(
            "sms-feedback: filter '{}' is registered explicitly; the automatic registration stands"
                + " down",
            other);
        return;
      }
    }
    try {
      Map<String, String> merged =
          ConfigLoader.standard()
              .load(
                  ConfigLoader.params(context.getInitParameterNames(), context::getInitParameter),
                  ConfigLoader.params(config.getInitParameterNames(), config::getInitParameter),
                  context.getClassLoader());
      FilterSettings fs = FilterSettings.fromProperties(merged);
      if (!fs.enabled()) {
        this.settings = fs;
        publish(context, fs);
        LOG.info(
            "sms-feedback: disabled ({}=false); the filter passes requests through",
            FilterSettings.ENABLED);
        return;
      }
      FeedbackSettings core = FeedbackSettings.fromProperties(merged);
      FeedbackComponents components = FeedbackComponents.create(core);
      this.owned = components;
      this.settings = fs;
      this.engine = new FilterEngine(components.tracker(), fs, clock, counters);
      publish(context, fs);
      SenderBinding.bindIfAbsent(context, components::sender);
      if (fs.verificationPaths().isEmpty()) {
        LOG.info(
            "sms-feedback: no {} configured; only explicit markers and framework bridges decide"
                + " verdicts",
            FilterSettings.VERIFICATION_PATHS);
      }
      LOG.info("sms-feedback: active with {} and {}", fs, core);
    } catch (IllegalArgumentException e) {
      LOG.error("sms-feedback: invalid configuration: {}", e.getMessage());
      throw new ServletException("sms-feedback: invalid configuration: " + e.getMessage(), e);
    }
  }

  private void publish(ServletContext context, FilterSettings fs) {
    new ContextBinding(fs.sessionAttribute(), fs.subAccountId(), clock).publish(context);
    if (find(context) == null) {
      context.setAttribute(INSTANCE_ATTRIBUTE, this);
    }
  }

  /**
   * The filter instance that initialised first in this web app (active or disabled; not one that
   * stood down), for health pages and metrics; null if none did.
   */
  public static @Nullable SmsFeedbackFilter find(ServletContext context) {
    return context.getAttribute(INSTANCE_ATTRIBUTE) instanceof SmsFeedbackFilter f ? f : null;
  }

  private static @Nullable String otherRegistration(ServletContext context, String ownName) {
    try {
      for (Map.Entry<String, ? extends FilterRegistration> e :
          context.getFilterRegistrations().entrySet()) {
        if (!e.getKey().equals(ownName)
            && SmsFeedbackFilter.class.getName().equals(e.getValue().getClassName())) {
          return e.getKey();
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("sms-feedback: cannot list filter registrations", e);
    }
    return null;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    FilterEngine e = engine;
    if (e == null
        || request.getDispatcherType() != DispatcherType.REQUEST
        || !(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse httpResponse)
        || request.getAttribute(Markers.FILTERED_ATTRIBUTE) != null) {
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(Markers.FILTERED_ATTRIBUTE, Boolean.TRUE);
    e.doFilter(http, httpResponse, chain);
  }

  /** Stops reporting; closes the tracker and reporter if this filter created them. Idempotent. */
  @Override
  public void destroy() {
    shutdown();
  }

  void shutdown() {
    engine = null;
    FeedbackComponents c = owned;
    if (c != null) {
      c.close();
    }
  }

  /**
   * Whether the filter is reporting (false: not yet initialised, disabled, stood down, destroyed).
   */
  public boolean isActive() {
    return engine != null;
  }

  /** The settings in effect, or null before a self-configuring filter is initialised. */
  public @Nullable FilterSettings settings() {
    return settings;
  }

  /** A snapshot of the counters. Cheap; any thread. */
  public FilterStats stats() {
    return counters.snapshot();
  }
}
