package io.smsfeedback.spring.internal;

import io.smsfeedback.spring.FeedbackReportingAuthenticationFailureHandler;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * Wraps the failure handler of every {@link AuthenticationFilter} (one-time-token login, {@code
 * POST /login/ott}) in the application's security filter chains with {@link
 * FeedbackReportingAuthenticationFailureHandler}.
 *
 * <p>Why: {@code DefaultAuthenticationEventPublisher} has no failure event for an invalid one-time
 * token ({@code InvalidOneTimeTokenException}); one arrives only by accident of the set-up (a
 * parent {@code ProviderManager} without a provider for the token publishes a provider-not-found
 * failure), so the event bridge alone could miss a wrong token. Behaviour is unchanged: the
 * decorator only marks the request, then delegates.
 */
public final class AuthenticationFilterDecorator implements BeanPostProcessor {

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof SecurityFilterChain chain) {
      for (Filter filter : chain.getFilters()) {
        if (filter instanceof AuthenticationFilter authenticationFilter) {
          AuthenticationFailureHandler handler = authenticationFilter.getFailureHandler();
          if (!(handler instanceof FeedbackReportingAuthenticationFailureHandler)) {
            authenticationFilter.setFailureHandler(
                new FeedbackReportingAuthenticationFailureHandler(handler));
          }
        }
      }
    }
    return bean;
  }
}
