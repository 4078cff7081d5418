package io.smsfeedback.servlet;

import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.servlet.internal.ContextBinding;
import io.smsfeedback.servlet.internal.CurrentRequest;
import io.smsfeedback.servlet.internal.FilterEngine;
import io.smsfeedback.servlet.internal.Markers;
import io.smsfeedback.servlet.internal.SenderBinding;
import io.smsfeedback.servlet.internal.Verdict;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * What an app, or a framework bridge, tells {@link SmsFeedbackFilter}.
 *
 * <ul>
 *   <li>{@link #sendOtp(HttpServletRequest, String, String)}: send the OTP through 8x8 and remember
 *       its umid in the session, in one step.
 *   <li>{@link #remember(HttpSession, String)}: store the umid of an OTP just sent, in the form and
 *       attribute the filter reads (for apps with their own sender).
 *   <li>{@link #verified(ServletRequest)} / {@link #rejected(ServletRequest)}: the app's explicit
 *       verdict on this request; it wins over everything else.
 *   <li>{@link #currentRequestVerified()} / {@link #currentRequestRejected()}: for bridges that
 *       learn the verdict from events published on the request thread (Spring Security's
 *       authentication events); wins over the HTTP status rules.
 * </ul>
 *
 * All methods are cheap and safe to call whether or not the filter is installed or enabled.
 */
public final class SmsFeedback {

  private static final String STATS_ATTRIBUTE = SmsFeedback.class.getName() + ".stats";

  private SmsFeedback() {}

  /**
   * Sends {@code text} (holding the OTP) to {@code destination} through 8x8 and stores the returned
   * {@link SentOtp} in the session under the configured attribute, so that the filter counts this
   * request as a send (an earlier OTP of the session is superseded) and tracks the new umid.
   *
   * <p>The session is created first (before anything is sent). Uses the sender given to {@link
   * #useSender}, else the one the self-configured filter makes from its {@code sms.feedback.*}
   * settings on first use. Blocks until 8x8 answers (see {@link SmsSender#send(SmsMessage)}).
   *
   * @return what 8x8 accepted: umid, sent time, the destination's calling code
   * @throws SmsSendException if the SMS was refused or not sent (the session is unchanged), or may
   *     or may not have been sent (the session is unchanged: no umid to track)
   * @throws IllegalStateException if no sender is available (no self-configured filter in this web
   *     app and no {@link #useSender})
   */
  public static SentSms sendOtp(HttpServletRequest request, String destination, String text)
      throws SmsSendException {
    return sendOtp(request, SmsMessage.of(destination, text));
  }

  /**
   * {@link #sendOtp(HttpServletRequest, String, String)} with the optional fields of 8x8's send API
   * (sender id, {@code clientMessageId}, encoding).
   */
  public static SentSms sendOtp(HttpServletRequest request, SmsMessage message)
      throws SmsSendException {
    Objects.requireNonNull(request, "request");
    SmsSender sender = SenderBinding.of(request.getServletContext());
    if (sender == null) {
      throw new IllegalStateException(
          "sms-feedback: no SMS sender in this web app: let SmsFeedbackFilter configure itself"
              + " from sms.feedback.* properties, or call SmsFeedback.useSender");
    }
    return sendOtp(request, sender, message);
  }

  /**
   * {@link #sendOtp(HttpServletRequest, SmsMessage)} with a given sender (a Spring bean, say),
   * whatever is bound to the web app.
   */
  public static SentSms sendOtp(HttpServletRequest request, SmsSender sender, SmsMessage message)
      throws SmsSendException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    HttpSession session = request.getSession();
    SentSms sent = sender.send(message);
    ContextBinding binding = ContextBinding.of(request.getServletContext());
    String attribute =
        binding == null ? FilterSettings.DEFAULT_SESSION_ATTRIBUTE : binding.sessionAttribute();
    // Before the session attribute: the filter tells the tracker of the send when it is set.
    if (request.getServletContext().getAttribute(STATS_ATTRIBUTE) instanceof ConversionStats stats) {
      stats.destination(sent);
    }
    session.setAttribute(attribute, sent.otp());
    return sent;
  }

  /**
   * Makes {@link #sendOtp} note each send's destination calling code in {@code stats} (the ones the
   * app's {@link io.smsfeedback.ConversionTracker} feeds), so that its counts are per country.
   * Replaces any statistics given before.
   */
  public static void useStats(ServletContext context, ConversionStats stats) {
    Objects.requireNonNull(context, "context")
        .setAttribute(STATS_ATTRIBUTE, Objects.requireNonNull(stats, "stats"));
  }

  /**
   * Makes {@code sender} the one {@link #sendOtp} uses in this web app (replacing the filter's
   * own). The caller owns it and closes it.
   */
  public static void useSender(ServletContext context, SmsSender sender) {
    SenderBinding.bind(
        Objects.requireNonNull(context, "context"), Objects.requireNonNull(sender, "sender"));
  }

  /**
   * Stores {@code umid} in the session as a {@link SentOtp} with the configured subaccount and
   * {@code sentAt = now}, under the configured attribute. If no filter has been initialised in this
   * web app yet, stores the {@link UUID} under {@link FilterSettings#DEFAULT_SESSION_ATTRIBUTE}.
   *
   * @throws IllegalArgumentException if {@code umid} is not a UUID
   */
  public static void remember(HttpSession session, String umid) {
    Objects.requireNonNull(session, "session");
    UUID parsed = SentOtp.parseUmid(umid);
    ContextBinding binding = ContextBinding.of(session.getServletContext());
    if (binding == null) {
      session.setAttribute(FilterSettings.DEFAULT_SESSION_ATTRIBUTE, parsed);
    } else if (binding.subAccountId() == null) {
      session.setAttribute(binding.sessionAttribute(), parsed);
    } else {
      session.setAttribute(
          binding.sessionAttribute(),
          new SentOtp(binding.subAccountId(), parsed, binding.clock().instant()));
    }
  }

  /**
   * Stores {@code umid}, sent from {@code subAccountId}, in the session as a {@link SentOtp} with
   * {@code sentAt = now}, under the configured attribute.
   *
   * @throws IllegalArgumentException if {@code umid} is not a UUID or the subaccount is invalid
   */
  public static void remember(HttpSession session, String subAccountId, String umid) {
    Objects.requireNonNull(session, "session");
    ContextBinding binding = ContextBinding.of(session.getServletContext());
    Clock clock = binding == null ? Clock.systemUTC() : binding.clock();
    String attribute =
        binding == null ? FilterSettings.DEFAULT_SESSION_ATTRIBUTE : binding.sessionAttribute();
    session.setAttribute(attribute, SentOtp.of(subAccountId, umid, clock.instant()));
  }

  /**
   * Removes the umid from the session. The filter does this by itself once a umid has its outcome;
   * call it when the app abandons an OTP flow for good (a newer send replaces it anyway).
   */
  public static void forget(HttpSession session) {
    ContextBinding binding = ContextBinding.of(session.getServletContext());
    String attribute =
        binding == null ? FilterSettings.DEFAULT_SESSION_ATTRIBUTE : binding.sessionAttribute();
    session.removeAttribute(attribute);
    session.removeAttribute(FilterEngine.sentAttribute(attribute));
  }

  /** Marks this request as a successful verification: the right code was entered. */
  public static void verified(ServletRequest request) {
    request.setAttribute(Markers.VERDICT_ATTRIBUTE, Verdict.VERIFIED);
  }

  /** Marks this request as a wrong code. */
  public static void rejected(ServletRequest request) {
    request.setAttribute(Markers.VERDICT_ATTRIBUTE, Verdict.REJECTED);
  }

  /**
   * For framework bridges: records "verified" for the request that is inside {@link
   * SmsFeedbackFilter} on this thread (the last call wins). Effective only on the thread that runs
   * the filter chain, not on async threads.
   *
   * @return whether a request was bound (false: nothing recorded)
   */
  public static boolean currentRequestVerified() {
    return CurrentRequest.record(Verdict.VERIFIED);
  }

  /**
   * For framework bridges: records "wrong code" for the request that is inside {@link
   * SmsFeedbackFilter} on this thread (the last call wins).
   *
   * @return whether a request was bound (false: nothing recorded)
   */
  public static boolean currentRequestRejected() {
    return CurrentRequest.record(Verdict.REJECTED);
  }

  /** Whether an active {@link SmsFeedbackFilter} is processing a request on this thread. */
  public static boolean isRequestBound() {
    return CurrentRequest.isBound();
  }
}
