package io.smsfeedback.samples.spring;

import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Sends the one-time token by SMS through 8x8 with {@code SmsFeedback.sendOtp}, which uses the
 * starter's {@code SmsSender} bean and also keeps 8x8's umid in the session. That one call is all
 * the app does for feedback: the starter sees the send, Spring Security's events tell it whether the code was right,
 * and it reports success, failure on a resend, or failure when nobody came back within {@code
 * abandon-after}.
 */
final class SmsCodeSender implements OneTimeTokenGenerationSuccessHandler {

  private final DemoUsers users;
  private final String source;

  SmsCodeSender(DemoUsers users, String source) {
    this.users = users;
    this.source = source;
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken token)
      throws IOException {
    boolean resend = request.getRequestURI().endsWith(SecurityConfig.RESEND_URL);
    String next = resend ? "/otp?resent" : "/otp";
    try {
      SmsFeedback.sendOtp(
          request,
          SmsMessage.of(users.phoneOf(token.getUsername()), "Your code is " + token.getTokenValue())
              .withSource(source));
    } catch (SmsSendException e) {
      next = "/otp?sms-error"; // the sender logged why, the number masked
    }
    response.sendRedirect(request.getContextPath() + next);
  }
}
