package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.internal.Markers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.ott.InvalidOneTimeTokenException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationConverter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

class AuthenticationFilterDecoratorTest {

  private final AuthenticationFilterDecorator decorator =
      new AuthenticationFilterDecorator(SecurityEventBridge::create);

  @Test
  void wrapsTheFailureHandlerOfAuthenticationFiltersInSecurityFilterChains() {
    AuthenticationFilter filter = oneTimeTokenLogin(new InvalidOneTimeTokenException("no"));
    AuthenticationFailureHandler original = filter.getFailureHandler();
    DefaultSecurityFilterChain chain =
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, filter);

    assertThat(decorator.postProcessAfterInitialization(chain, "chain")).isSameAs(chain);

    assertThat(filter.getFailureHandler())
        .isInstanceOfSatisfying(
            AuthenticationFilterDecorator.CodeFailureHandler.class,
            h -> assertThat(h.delegate()).isSameAs(original));
  }

  @Test
  void wrapsOnlyOnce() {
    AuthenticationFilter filter = oneTimeTokenLogin(new InvalidOneTimeTokenException("no"));
    DefaultSecurityFilterChain chain =
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, filter);
    decorator.postProcessAfterInitialization(chain, "chain");
    AuthenticationFailureHandler once = filter.getFailureHandler();
    AuthenticationConverter converter = filter.getAuthenticationConverter();

    decorator.postProcessAfterInitialization(chain, "chain");

    assertThat(filter.getFailureHandler()).isSameAs(once);
    assertThat(filter.getAuthenticationConverter()).isSameAs(converter);
  }

  @Test
  void leavesOtherBeansAlone() {
    Object bean = new Object();
    assertThat(decorator.postProcessAfterInitialization(bean, "other")).isSameAs(bean);
  }

  @Test
  void wrongOneTimeToken_isAWrongCode() throws Exception {
    assertThat(verdictAfterFailure(oneTimeTokenLogin(new InvalidOneTimeTokenException("no"))))
        .isEqualTo("REJECTED");
  }

  @Test
  void oneTimeTokenServiceDown_isNoAttempt() throws Exception {
    AuthenticationFilter login =
        oneTimeTokenLogin(new InternalAuthenticationServiceException("token store down"));
    assertThat(verdictAfterFailure(login)).isEqualTo("null");
  }

  @Test
  void failedPasswordThroughAnAuthenticationFilter_isNoAttempt() throws Exception {
    AuthenticationConverter password =
        request -> UsernamePasswordAuthenticationToken.unauthenticated("alice", "wrong");
    AuthenticationFilter login =
        new AuthenticationFilter(failing(new BadCredentialsException("wrong")), password);
    assertThat(verdictAfterFailure(login)).isEqualTo("null");
  }

  @Test
  void listedCodeAuthenticationThroughAnAuthenticationFilter_isAWrongCode() throws Exception {
    AuthenticationFilterDecorator listing =
        new AuthenticationFilterDecorator(
            () ->
                SecurityEventBridge.create(
                    List.of(UsernamePasswordAuthenticationToken.class.getName())));
    AuthenticationConverter code =
        request -> UsernamePasswordAuthenticationToken.unauthenticated("+6512345678", "000000");
    AuthenticationFilter login =
        new AuthenticationFilter(failing(new BadCredentialsException("wrong")), code);
    listing.postProcessAfterInitialization(
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, login), "chain");
    assertThat(run(login)).isEqualTo("REJECTED");
  }

  private static AuthenticationFilter oneTimeTokenLogin(AuthenticationException failure) {
    return new AuthenticationFilter(failing(failure), new OneTimeTokenAuthenticationConverter());
  }

  private static AuthenticationManager failing(AuthenticationException failure) {
    return authentication -> {
      throw failure;
    };
  }

  /** Decorates {@code filter}, sends a login request through it; the verdict it marked. */
  private String verdictAfterFailure(AuthenticationFilter filter) throws Exception {
    decorator.postProcessAfterInitialization(
        new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, filter), "chain");
    return run(filter);
  }

  private static String run(AuthenticationFilter filter) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/ott");
    request.setParameter("token", "not-the-token");
    try {
      filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
    } catch (AuthenticationServiceException rethrown) {
      // Spring Security's default failure handler rethrows it, after ours ran
    }
    return String.valueOf(request.getAttribute(Markers.VERDICT_ATTRIBUTE));
  }
}
