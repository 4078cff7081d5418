package io.smsfeedback.spring.internal;

import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * Makes a failed authentication through any {@link AuthenticationFilter} (one-time-token login,
 * {@code POST /login/ott}) in the application's security filter chains a wrong code, when it
 * attempted a code authentication ({@link SecurityEventBridge#isWrongCode(Class,
 * AuthenticationException)}): the filter's converter is wrapped to note the type of the
 * authentication it attempts, its failure handler to mark the request ({@link SmsFeedback#rejected})
 * before delegating. Any other {@code AuthenticationFilter} (an API key, a password) fails as before
 * and is no attempt.
 *
 * <p>Why: {@code DefaultAuthenticationEventPublisher} has no failure event for an invalid one-time
 * token ({@code InvalidOneTimeTokenException}); one arrives only by accident of the set-up (a
 * parent {@code ProviderManager} without a provider for the token publishes a provider-not-found
 * failure), so the event bridge alone could miss a wrong token. Behaviour is unchanged: the
 * wrappers only note and mark, then delegate.
 */
public final class AuthenticationFilterDecorator implements BeanPostProcessor {

  /** Request attribute: the class of the authentication the filter attempted. */
  static final String ATTEMPT_ATTRIBUTE = AuthenticationFilterDecorator.class.getName() + ".attempt";

  private final Supplier<SecurityEventBridge> bridge;

  /** A decorator with the bridge's idea of code authentications, looked up at the first failure. */
  public AuthenticationFilterDecorator(Supplier<SecurityEventBridge> bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof SecurityFilterChain chain) {
      for (Filter filter : chain.getFilters()) {
        if (filter instanceof AuthenticationFilter authenticationFilter
            && !(authenticationFilter.getFailureHandler() instanceof CodeFailureHandler)) {
          authenticationFilter.setAuthenticationConverter(
              new NotingConverter(authenticationFilter.getAuthenticationConverter()));
          authenticationFilter.setFailureHandler(
              new CodeFailureHandler(authenticationFilter.getFailureHandler()));
        }
      }
    }
    return bean;
  }

  /** Notes the type of the authentication the filter is about to attempt. */
  private static final class NotingConverter implements AuthenticationConverter {
    private final AuthenticationConverter delegate;

    NotingConverter(AuthenticationConverter delegate) {
      this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
      Authentication attempt = delegate.convert(request);
      if (attempt != null) {
        request.setAttribute(ATTEMPT_ATTRIBUTE, attempt.getClass());
      }
      return attempt;
    }
  }

  /** Marks the request as a wrong code when a code authentication failed; then delegates. */
  final class CodeFailureHandler implements AuthenticationFailureHandler {
    private final AuthenticationFailureHandler delegate;

    CodeFailureHandler(AuthenticationFailureHandler delegate) {
      this.delegate = delegate;
    }

    AuthenticationFailureHandler delegate() {
      return delegate;
    }

    @Override
    public void onAuthenticationFailure(
        HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
        throws IOException, ServletException {
      if (request.getAttribute(ATTEMPT_ATTRIBUTE) instanceof Class<?> attempt
          && bridge.get().isWrongCode(attempt, exception)) {
        SmsFeedback.rejected(request);
      }
      delegate.onAuthenticationFailure(request, response, exception);
    }
  }
}
