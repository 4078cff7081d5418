package io.smsfeedback.samples.spring;

import io.smsfeedback.samples.support.EightByEightSms;
import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Sends the one-time token by SMS through 8x8 and keeps 8x8's umid in the session. That one line,
 * {@code SmsFeedback.remember(session, umid)}, is all the app does for feedback: the starter sees
 * the send, Spring Security's events tell it whether the code was right, and it reports success,
 * failure on a resend, or failure when nobody came back within {@code abandon-after}.
 */
final class SmsCodeSender implements OneTimeTokenGenerationSuccessHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SmsCodeSender.class);

  private final EightByEightSms sms;
  private final DemoUsers users;

  SmsCodeSender(EightByEightSms sms, DemoUsers users) {
    this.sms = sms;
    this.users = users;
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken token)
      throws IOException {
    boolean resend = request.getRequestURI().endsWith(SecurityConfig.RESEND_URL);
    String next = resend ? "/otp?resent" : "/otp";
    try {
      String umid =
          sms.send(users.phoneOf(token.getUsername()), "Your code is " + token.getTokenValue());
      SmsFeedback.remember(request.getSession(), umid);
    } catch (IOException e) {
      LOG.warn("could not send the SMS: {}", e.getMessage());
      next = "/otp?sms-error";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      next = "/otp?sms-error";
    }
    response.sendRedirect(request.getContextPath() + next);
  }
}
