package io.smsfeedback.spring;

import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Decorates an {@link AuthenticationFailureHandler}: marks the request as a wrong code ({@link
 * SmsFeedback#rejected}), then delegates. A wrong code counts an attempt; it is a failure only at
 * {@code sms.feedback.max-attempts}. An {@link AuthenticationServiceException} (the user store or
 * the token service failed, the code was never compared) is no attempt: it is not marked.
 */
public final class FeedbackReportingAuthenticationFailureHandler
    implements AuthenticationFailureHandler {

  private final AuthenticationFailureHandler delegate;

  public FeedbackReportingAuthenticationFailureHandler(AuthenticationFailureHandler delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException, ServletException {
    if (!(exception instanceof AuthenticationServiceException)) {
      SmsFeedback.rejected(request);
    }
    delegate.onAuthenticationFailure(request, response, exception);
  }

  /** The handler this one delegates to. */
  public AuthenticationFailureHandler delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return "FeedbackReportingAuthenticationFailureHandler{" + delegate + '}';
  }
}
