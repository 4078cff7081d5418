package io.smsfeedback.spring;

import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Decorates an {@link AuthenticationSuccessHandler}: marks the request as a successful OTP
 * verification ({@link SmsFeedback#verified}), then delegates. For applications that wire their
 * handlers explicitly on the step that checks the SMS code; the auto-configured event bridge
 * already covers the flows that publish Spring Security's authentication events.
 */
public final class FeedbackReportingAuthenticationSuccessHandler
    implements AuthenticationSuccessHandler {

  private final AuthenticationSuccessHandler delegate;

  public FeedbackReportingAuthenticationSuccessHandler(AuthenticationSuccessHandler delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      Authentication authentication)
      throws IOException, ServletException {
    SmsFeedback.verified(request);
    delegate.onAuthenticationSuccess(request, response, chain, authentication);
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException, ServletException {
    SmsFeedback.verified(request);
    delegate.onAuthenticationSuccess(request, response, authentication);
  }

  @Override
  public String toString() {
    return "FeedbackReportingAuthenticationSuccessHandler{" + delegate + '}';
  }
}
