package io.smsfeedback.servlet.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.SentOtp;
import io.smsfeedback.internal.LogOnce;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's work on one request: snapshot the pending umid before the chain, observe every write
 * of the umid attribute during it ({@link ObservedRequest}), then apply the decision table of the
 * module README after it (or, for async requests, when they complete): a request that changed the
 * umid is a send and is never judged; otherwise the marker, the bridge, the path rules. Everything
 * runs on the container's threads; only values (never the request or session) are kept for later.
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
  private final LogOnce once = new LogOnce(LOG);

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
    Writes writes = new Writes(before);
    HttpServletRequest observed =
        new ObservedRequest(request, settings.sessionAttribute(), sentAttribute, writes);
    CurrentRequest scope = CurrentRequest.bind(before.pending() != null);
    Verdict bridge;
    try {
      chain.doFilter(observed, response);
    } catch (Throwable t) {
      afterFailure(request, before, writes, scope.unbind());
      throw t;
    }
    bridge = scope.unbind();
    after(request, response, before, writes, bridge);
  }

  /**
   * The umids this request wrote to the session, as the writes happen. Each new umid is tracked at
   * once and the one it replaced is superseded; at the end, those replaced meanwhile by another
   * request are superseded too, so that every umid that reached the session has its outcome.
   */
  private final class Writes implements ObservedRequest.WriteObserver {
    private final Before before;

    /** Written here, not yet superseded here; null until the first write. Guarded by this. */
    private @Nullable Map<UUID, SentOtp> written;

    Writes(Before before) {
      this.before = before;
    }

    @Override
    public void written(
        HttpSession session,
        @Nullable Object previous,
        @Nullable Object previousSent,
        Object value) {
      try {
        Instant now = clock.instant();
        SentOtp sent = SessionValues.parse(value, subAccountId, now).otp();
        if (sent == null) {
          return; // an ignored value: counted at the end
        }
        SentOtp replaced =
            withSentRecord(
                SessionValues.parse(previous, subAccountId, now).otp(), previous, previousSent);
        SentOtp pending = before.pending();
        if ((replaced != null && replaced.umid().equals(sent.umid()))
            || (pending != null && pending.umid().equals(sent.umid()))) {
          return; // the same umid again (or copied into a new session): no send
        }
        if (!(value instanceof SentOtp)) {
          session.setAttribute(sentAttribute, sent);
        }
        synchronized (this) {
          Map<UUID, SentOtp> mine = written;
          if (mine == null) {
            mine = new LinkedHashMap<>();
            written = mine;
          }
          mine.put(sent.umid(), sent);
          if (replaced != null) {
            mine.remove(replaced.umid());
          }
        }
        // A concurrent request may have seen the value (and tracked it) before this call.
        if (signal("sent", tracker.sent(sent)) != Signal.DUPLICATE) {
          counters.sends.increment();
        }
        if (replaced != null) {
          supersede(replaced, now);
        }
      } catch (RuntimeException e) {
        internalError("write", e);
      }
    }

    synchronized boolean wroteUmid() {
      return written != null;
    }

    synchronized List<SentOtp> stillWritten() {
      return written == null ? List.of() : new ArrayList<>(written.values());
    }
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
      SentOtp pending = current(session, value, at);
      return new Before(at, pending, judged, SessionValues.key(value));
    } catch (RuntimeException e) {
      internalError("before", e);
      return Before.NOTHING;
    }
  }

  /**
   * The OTP a session value stands for: a {@code String} or {@code UUID} takes the send time and
   * subaccount the filter recorded under {@code #sent} when it saw the umid appear.
   */
  private @Nullable SentOtp current(@Nullable HttpSession session, @Nullable Object value, Instant at) {
    if (value == null) {
      return null;
    }
    SentOtp otp = SessionValues.parse(value, subAccountId, at).otp();
    return otp == null || value instanceof SentOtp
        ? otp
        : withSentRecord(otp, value, read(session, sentAttribute));
  }

  private static @Nullable SentOtp withSentRecord(
      @Nullable SentOtp otp, @Nullable Object value, @Nullable Object sentRecord) {
    if (otp != null
        && !(value instanceof SentOtp)
        && sentRecord instanceof SentOtp seen
        && seen.umid().equals(otp.umid())) {
      return seen; // the send time and subaccount recorded when the filter saw it appear
    }
    return otp;
  }

  private void after(
      HttpServletRequest request,
      HttpServletResponse response,
      Before before,
      Writes writes,
      @Nullable Verdict bridge) {
    try {
      if (request.isAsyncStarted()) {
        AsyncContext async = request.getAsyncContext();
        async.addListener(new Completion(before, writes, bridge), request, response);
        return;
      }
      finish(request, response, before, writes, bridge, false);
    } catch (RuntimeException e) {
      internalError("after", e);
    }
  }

  private void afterFailure(
      HttpServletRequest request, Before before, Writes writes, @Nullable Verdict bridge) {
    try {
      finish(request, null, before, writes, bridge, true);
    } catch (RuntimeException e) {
      internalError("after-exception", e);
    }
  }

  private void finish(
      ServletRequest request,
      @Nullable ServletResponse response,
      Before before,
      Writes writes,
      @Nullable Verdict bridge,
      boolean failed) {
    HttpSession session =
        request instanceof HttpServletRequest http ? http.getSession(false) : null;
    Object value = read(session, settings.sessionAttribute());
    Instant now = value == null ? before.actionTime() : clock.instant();
    SentOtp current = current(session, value, now);
    SentOtp pending = before.pending();
    boolean changed =
        writes.wroteUmid()
            || (current != null && (pending == null || !current.umid().equals(pending.umid())));
    if (pending != null && !changed) {
      Verdict marker =
          request.getAttribute(Markers.VERDICT_ATTRIBUTE) instanceof Verdict v ? v : null;
      Decision decision;
      if (failed || !(response instanceof HttpServletResponse http)) {
        // An explicit verdict was given before the app failed (the code was checked): it stands.
        // Only the status, which the failure wrote, cannot be read.
        Decision explicit = VerdictRules.explicit(marker, bridge);
        if (explicit != null) {
          decision = explicit;
        } else {
          decision = before.verificationRequest() ? Decision.NO_VERDICT : Decision.NOT_JUDGED;
        }
      } else {
        decision =
            VerdictRules.decide(
                marker,
                bridge,
                before.verificationRequest(),
                http.getStatus(),
                location(http),
                settings.failureLocation(),
                settings.failureStatuses());
      }
      boolean finished = apply(decision, pending, before.actionTime());
      if (finished) {
        forget(session, pending);
      }
    }
    // Row 0: a send. Writes seen while they happened were handled then; here the rest.
    afterSend(session, value, current, before, writes, now);
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

  /**
   * After the request: umids this request wrote that another value replaced meanwhile (a concurrent
   * request on the session) are superseded; a new umid that appeared without a write this filter
   * saw (another node, a thread holding the unwrapped request) is tracked and the pending one
   * superseded, as the writes would have been.
   */
  private void afterSend(
      @Nullable HttpSession session,
      @Nullable Object value,
      @Nullable SentOtp current,
      Before before,
      Writes writes,
      Instant now) {
    if (value == null) {
      return; // removed or no session: whatever was written is abandoned in time
    }
    if (current == null) {
      ignored(value, before);
      return;
    }
    boolean seen = false;
    for (SentOtp mine : writes.stillWritten()) {
      if (mine.umid().equals(current.umid())) {
        seen = true;
      } else {
        supersede(mine, now);
      }
    }
    SentOtp previous = before.pending();
    if (seen || (previous != null && previous.umid().equals(current.umid()))) {
      return;
    }
    Signal sent = signal("sent", tracker.sent(current));
    if (sent != Signal.DUPLICATE) {
      counters.sends.increment();
      if (!(value instanceof SentOtp) && session != null) {
        try {
          if (!(read(session, sentAttribute) instanceof SentOtp known
              && known.umid().equals(current.umid()))) {
            session.setAttribute(sentAttribute, current);
          }
        } catch (IllegalStateException invalidated) {
          // the app invalidated it meanwhile
        }
      }
    }
    if (previous != null) {
      supersede(previous, now);
    }
  }

  /** Failure for a umid a newer one replaced; counted once, by the call that decided it. */
  private void supersede(SentOtp replaced, Instant at) {
    if (signal("superseded", tracker.superseded(replaced, at)) != Signal.DUPLICATE) {
      counters.superseded.increment();
    }
  }

  private void ignored(Object value, Before before) {
    SessionValues.Ignored ignored = SessionValues.parse(value, subAccountId, before.actionTime()).ignored();
    if (ignored != null && !Objects.equals(SessionValues.key(value), before.valueKey())) {
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
      case "write" -> "noticing a write of the session attribute";
      default -> "after the request";
    };
  }

  /** Finishes an async request on the container thread that completes it. */
  private final class Completion implements AsyncListener {
    private final Before before;
    private final Writes writes;
    private final @Nullable Verdict bridge;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean failed;

    Completion(Before before, Writes writes, @Nullable Verdict bridge) {
      this.before = before;
      this.writes = writes;
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
          finish(request, event.getSuppliedResponse(), before, writes, bridge, failed);
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
