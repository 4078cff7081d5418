package io.smsfeedback.servlet.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.SentOtp;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.internal.SessionValues.Parsed;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's work on one request: snapshot the pending umid before the chain, then decide the
 * verdict and notice a send after it (or, for async requests, when they complete). Everything runs
 * on the container's threads; only values (never the request or session) are kept for later.
 * Nothing here throws into the app: our own failures are caught, logged once per kind and counted.
 */
public final class FilterEngine {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.servlet");

  /** Longest {@code Location} the failure pattern is searched in. */
  static final int MAX_LOCATION = 2048;

  private final ConversionTracker tracker;
  private final FilterSettings settings;
  private final String subAccountId;
  private final Clock clock;
  private final Counters counters;
  private final String sentAttribute;
  private final OnceLogger once = new OnceLogger(LOG);

  public FilterEngine(
      ConversionTracker tracker, FilterSettings settings, Clock clock, Counters counters) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.subAccountId =
        Objects.requireNonNull(
            settings.subAccountId(), "settings.subAccountId (required when enabled)");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.sentAttribute = sentAttribute(settings.sessionAttribute());
  }

  /**
   * Where the filter keeps the {@link SentOtp} it made for a {@code String} or {@code UUID} umid,
   * so that later requests know its real send time: {@code <session-attribute>#sent}.
   */
  public static String sentAttribute(String sessionAttribute) {
    return sessionAttribute + "#sent";
  }

  /** What was known before the chain ran. Values only. */
  record Before(
      Instant actionTime,
      @Nullable SentOtp pending,
      boolean verificationRequest,
      @Nullable Object valueKey) {

    /** No session, or no value in it: the common request, which costs no allocation. */
    static final Before NOTHING = new Before(Instant.EPOCH, null, false, null);
  }

  public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    counters.requests.increment();
    Before before = before(request);
    CurrentRequest scope = CurrentRequest.bind(before.pending() != null);
    Verdict bridge;
    try {
      chain.doFilter(request, response);
    } catch (Throwable t) {
      scope.unbind();
      afterFailure(request, before);
      throw t;
    }
    bridge = scope.unbind();
    after(request, response, before, bridge);
  }

  private Before before(HttpServletRequest request) {
    try {
      HttpSession session = request.getSession(false);
      Object value = read(session, settings.sessionAttribute());
      if (value == null) {
        return Before.NOTHING; // nothing pending, nothing that could change: no time, no path
      }
      Instant at = clock.instant();
      String path = pathWithinContext(request);
      boolean judged = settings.isVerificationRequest(request.getMethod(), path);
      Parsed parsed = SessionValues.parse(value, subAccountId, at);
      SentOtp pending = parsed.otp();
      if (pending != null
          && !(value instanceof SentOtp)
          && read(session, sentAttribute) instanceof SentOtp seen
          && seen.umid().equals(pending.umid())) {
        pending = seen; // the send time and subaccount recorded when the filter saw it appear
      }
      return new Before(at, pending, judged, SessionValues.key(value));
    } catch (RuntimeException e) {
      internalError("before", e);
      return Before.NOTHING;
    }
  }

  private void after(
      HttpServletRequest request,
      HttpServletResponse response,
      Before before,
      @Nullable Verdict bridge) {
    try {
      if (request.isAsyncStarted()) {
        AsyncContext async = request.getAsyncContext();
        async.addListener(new Completion(before, bridge), request, response);
        return;
      }
      finish(request, response, before, bridge, false);
    } catch (RuntimeException e) {
      internalError("after", e);
    }
  }

  private void afterFailure(HttpServletRequest request, Before before) {
    try {
      finish(request, null, before, null, true);
    } catch (RuntimeException e) {
      internalError("after-exception", e);
    }
  }

  private void finish(
      ServletRequest request,
      @Nullable ServletResponse response,
      Before before,
      @Nullable Verdict bridge,
      boolean failed) {
    SentOtp pending = before.pending();
    if (pending != null) {
      Verdict marker =
          request.getAttribute(Markers.VERDICT_ATTRIBUTE) instanceof Verdict v ? v : null;
      Decision decision;
      if (failed || !(response instanceof HttpServletResponse http)) {
        boolean judged = marker != null || bridge != null || before.verificationRequest();
        decision = judged ? Decision.NO_VERDICT : Decision.NOT_JUDGED;
      } else {
        decision =
            VerdictRules.decide(
                marker,
                bridge,
                before.verificationRequest(),
                http.getStatus(),
                location(http),
                settings.failureLocation());
      }
      boolean finished = apply(decision, pending, before.actionTime());
      if (finished && request instanceof HttpServletRequest http) {
        forget(http.getSession(false), pending);
      }
    }
    if (request instanceof HttpServletRequest http) {
      detectSend(http, before);
    }
  }

  /** Hands the verdict to the tracker; returns whether the OTP now has its outcome. */
  private boolean apply(Decision decision, SentOtp pending, Instant actionTime) {
    Signal signal;
    switch (decision) {
      case SUCCESS -> {
        counters.successes.increment();
        signal = signal("verified", tracker.verified(pending, actionTime));
      }
      case WRONG_CODE -> {
        counters.wrongCodes.increment();
        signal = signal("wrongCode", tracker.wrongCode(pending, actionTime));
      }
      case NO_VERDICT -> {
        counters.noVerdicts.increment();
        return false;
      }
      default -> {
        return false;
      }
    }
    return signal == Signal.APPLIED || signal == Signal.DUPLICATE || signal == Signal.TOO_LATE;
  }

  /**
   * Drops a umid that has its outcome from the session (if it still holds that umid), so that a
   * later resend cannot report a failure for it, also after a restart that forgot it.
   */
  private void forget(@Nullable HttpSession session, SentOtp done) {
    Parsed now =
        SessionValues.parse(
            read(session, settings.sessionAttribute()), subAccountId, done.sentAt());
    if (session != null && now.otp() != null && now.otp().umid().equals(done.umid())) {
      try {
        session.removeAttribute(settings.sessionAttribute());
        session.removeAttribute(sentAttribute);
      } catch (IllegalStateException invalidated) {
        // nothing to forget
      }
    }
  }

  private void detectSend(HttpServletRequest request, Before before) {
    HttpSession session = request.getSession(false);
    Object value = read(session, settings.sessionAttribute());
    if (value == null) {
      return;
    }
    Instant now = clock.instant();
    Parsed parsed = SessionValues.parse(value, subAccountId, now);
    SessionValues.Ignored ignored = parsed.ignored();
    if (ignored != null) {
      if (!Objects.equals(SessionValues.key(value), before.valueKey())) {
        counters.ignoredValues.increment();
        once.warn(
            "ignored-" + ignored,
            "sms-feedback ignored "
                + ignored.description()
                + " in session attribute '"
                + settings.sessionAttribute()
                + "' (expected a UUID String, a java.util.UUID or an io.smsfeedback.SentOtp)",
            null);
      }
      return;
    }
    SentOtp sent = parsed.otp();
    SentOtp previous = before.pending();
    if (sent == null || (previous != null && previous.umid().equals(sent.umid()))) {
      return;
    }
    counters.sends.increment();
    if (!(value instanceof SentOtp) && session != null) {
      try {
        session.setAttribute(sentAttribute, sent);
      } catch (IllegalStateException invalidated) {
        // the app invalidated it meanwhile
      }
    }
    signal("sent", tracker.sent(sent));
    if (previous != null) {
      counters.superseded.increment();
      signal("superseded", tracker.superseded(previous, now));
    }
  }

  private Signal signal(String call, Signal signal) {
    if (signal == Signal.OVER_CAPACITY) {
      once.warn(
          "over-capacity",
          "sms-feedback is tracking the maximum number of OTPs (sms.feedback.max-tracked); new"
              + " ones are not reported",
          null);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("tracker.{} -> {}", call, signal);
    }
    return signal;
  }

  private static @Nullable Object read(@Nullable HttpSession session, String attribute) {
    if (session == null) {
      return null;
    }
    try {
      return session.getAttribute(attribute);
    } catch (IllegalStateException invalidated) {
      return null;
    }
  }

  private static @Nullable String location(HttpServletResponse response) {
    String location = response.getHeader("Location");
    if (location != null && location.length() > MAX_LOCATION) {
      return location.substring(0, MAX_LOCATION);
    }
    return location;
  }

  /** The path within the context as the container decoded and normalised it. */
  static String pathWithinContext(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }

  private void internalError(String phase, RuntimeException e) {
    counters.internalErrors.increment();
    once.error(
        "error-" + phase + "-" + e.getClass().getName(),
        "sms-feedback failed " + phaseText(phase) + "; the response is not affected",
        e);
  }

  private static String phaseText(String phase) {
    return switch (phase) {
      case "before" -> "reading the session before the request";
      case "async" -> "finishing an async request";
      default -> "after the request";
    };
  }

  /** Finishes an async request on the container thread that completes it. */
  private final class Completion implements AsyncListener {
    private final Before before;
    private final @Nullable Verdict bridge;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean failed;

    Completion(Before before, @Nullable Verdict bridge) {
      this.before = before;
      this.bridge = bridge;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      try {
        ServletRequest request = event.getSuppliedRequest();
        if (request != null) {
          finish(request, event.getSuppliedResponse(), before, bridge, failed);
        }
      } catch (RuntimeException e) {
        internalError("async", e);
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      failed = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      try {
        event
            .getAsyncContext()
            .addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
      } catch (RuntimeException e) {
        internalError("async", e);
      }
    }
  }
}
