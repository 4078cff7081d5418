package io.smsfeedback.spring.internal.ott;

import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.spring.ott.SmsPhoneNumbers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Sends a freshly generated code by SMS to the user's phone ({@link SmsPhoneNumbers}) with {@link
 * SmsFeedback#sendOtp(HttpServletRequest, SmsSender, SmsMessage)}, which also remembers the SMS's
 * umid in the session so the sms-feedback filter tracks it, and redirects to the code page.
 *
 * <ul>
 *   <li>A user without a phone number (or no such user) gets the same redirect and no SMS, so the
 *       answer never tells which usernames exist; the code is dropped.
 *   <li>A failed send (refused by 8x8 or not E.164, not sent, or uncertain: the sender's {@link
 *       SmsSendException}) redirects to {@code send-failure-url} (never a 500), drops the code, is
 *       counted ({@link #sendFailures()}) and logged at WARN for the first failure after a success
 *       (DEBUG while it keeps failing), without the phone number or the text.
 * </ul>
 */
public final class SmsCodeGenerationSuccessHandler implements OneTimeTokenGenerationSuccessHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SmsCodeGenerationSuccessHandler.class);

  private final SmsPhoneNumbers phones;
  private final SmsSender sender;
  private final OttSettings settings;
  private final @Nullable SmsCodes codes;
  private final RedirectStrategy redirects = new DefaultRedirectStrategy();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param codes the token service to drop unsent codes from; {@code null} when the application
   *     has its own
   */
  public SmsCodeGenerationSuccessHandler(
      SmsPhoneNumbers phones, SmsSender sender, OttSettings settings, @Nullable SmsCodes codes) {
    this.phones = Objects.requireNonNull(phones, "phones");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.codes = codes;
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken token)
      throws IOException {
    String username = token.getUsername();
    HttpSession session = request.getSession();
    session.setAttribute(UsernameBindingConverter.USERNAME_ATTRIBUTE, username);
    String phone = phones.phoneNumber(username);
    if (phone == null) {
      discard(username);
      redirects.sendRedirect(request, response, settings.codePage());
      return;
    }
    try {
      SmsFeedback.sendOtp(
          request, sender, SmsMessage.of(phone, settings.text(token.getTokenValue())));
    } catch (SmsSendException | RuntimeException e) {
      failed(e);
      discard(username);
      redirects.sendRedirect(request, response, settings.sendFailureUrl());
      return;
    }
    failing.set(false);
    redirects.sendRedirect(request, response, settings.codePage());
  }

  /** SMS that could not be sent since startup. */
  public long sendFailures() {
    return sendFailures.get();
  }

  private void failed(Exception e) {
    sendFailures.incrementAndGet();
    if (failing.compareAndSet(false, true)) {
      LOG.warn(
          "Could not send a sign-in code by SMS; the user was sent to {} (later failures at DEBUG"
              + " until a send succeeds): {}",
          settings.sendFailureUrl(),
          e.toString());
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("Could not send a sign-in code by SMS: {}", e.toString());
    }
  }

  private void discard(String username) {
    if (codes != null) {
      codes.discard(username);
    }
  }
}
