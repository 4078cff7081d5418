package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.spring.FeedbackReportingAuthenticationFailureHandler;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationConverter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

class AuthenticationFilterDecoratorTest {

  private final AuthenticationFilter filter =
      new AuthenticationFilter(
          (AuthenticationManager) authentication -> authentication,
          new OneTimeTokenAuthenticationConverter());
  private final AuthenticationFilterDecorator decorator = new AuthenticationFilterDecorator();

  @Test
  void wrapsTheFailureHandlerOfAuthenticationFiltersInSecurityFilterChains() {
    AuthenticationFailureHandler original = filter.getFailureHandler();
    DefaultSecurityFilterChain chain =
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, filter);

    assertThat(decorator.postProcessAfterInitialization(chain, "chain")).isSameAs(chain);

    assertThat(filter.getFailureHandler())
        .isInstanceOfSatisfying(
            FeedbackReportingAuthenticationFailureHandler.class,
            h -> assertThat(h.delegate()).isSameAs(original));
  }

  @Test
  void wrapsOnlyOnce() {
    DefaultSecurityFilterChain chain =
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, filter);
    decorator.postProcessAfterInitialization(chain, "chain");
    AuthenticationFailureHandler once = filter.getFailureHandler();

    decorator.postProcessAfterInitialization(chain, "chain");

    assertThat(filter.getFailureHandler()).isSameAs(once);
  }

  @Test
  void leavesOtherBeansAlone() {
    Object bean = new Object();
    assertThat(decorator.postProcessAfterInitialization(bean, "other")).isSameAs(bean);
  }
}
