package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureServiceExceptionEvent;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

class SecurityEventBridgeTest {

  private static final SecurityEventBridge BRIDGE = SecurityEventBridge.create();

  @Test
  void provesCode_aListedAuthenticationType() {
    SecurityEventBridge bridge =
        SecurityEventBridge.create(List.of(UsernamePasswordAuthenticationToken.class.getName()));
    assertThat(bridge.provesCode(user("ROLE_USER"))).isTrue();
    assertThat(bridge.isCodeAuthentication(user("ROLE_USER"))).isTrue();
  }

  @Test
  void create_refusesANameThatIsNoAuthenticationNamingTheProperty() {
    assertThatThrownBy(() -> SecurityEventBridge.create(List.of("java.lang.String")))
        .hasMessage(
            "sms.feedback.security.code-authentications: not an Authentication class:"
                + " 'java.lang.String'");
    assertThatThrownBy(() -> SecurityEventBridge.create(List.of("no.such.Type")))
        .hasMessageStartingWith("sms.feedback.security.code-authentications: no such class:");
  }

  @Test
  void provesCode_neverAPasswordLogin() {
    assertThat(BRIDGE.provesCode(user("ROLE_USER"))).isFalse();
    assertThat(BRIDGE.provesCode(user("ROLE_USER", "FACTOR_PASSWORD"))).isFalse();
  }

  @Test
  void provesCode_theOneTimeTokenFactor() {
    assertThat(BRIDGE.provesCode(user("FACTOR_OTT"))).isTrue();
    assertThat(BRIDGE.provesCode(user("FACTOR_PASSWORD", "FACTOR_OTT"))).isTrue();
  }

  @Test
  void provesCode_aOneTimeTokenAuthentication() {
    Authentication ott =
        new OneTimeTokenAuthenticationToken(
            "alice", AuthorityUtils.createAuthorityList("ROLE_USER"));
    assertThat(BRIDGE.provesCode(ott)).isTrue();
    assertThat(BRIDGE.isCodeAuthentication(ott)).isTrue();
    assertThat(BRIDGE.isCodeAuthentication(user("ROLE_USER"))).isFalse();
  }

  @Test
  void wrongCode_onlyAFailedCodeAuthenticationWhoseCodeWasChecked() {
    Authentication ott = OneTimeTokenAuthenticationToken.unauthenticated("bad-token");
    var wrongToken =
        new AuthenticationFailureBadCredentialsEvent(ott, new BadCredentialsException("wrong"));
    var serviceDown =
        new AuthenticationFailureServiceExceptionEvent(
            ott, new InternalAuthenticationServiceException("token store down"));
    var wrongPassword =
        new AuthenticationFailureBadCredentialsEvent(
            user("ROLE_USER"), new BadCredentialsException("wrong password"));

    assertThat(BRIDGE.isWrongCode(wrongToken)).isTrue();
    assertThat(BRIDGE.isWrongCode(serviceDown))
        .as("the token service failed: the code was never compared")
        .isFalse();
    assertThat(BRIDGE.isWrongCode(wrongPassword)).as("a failed password login").isFalse();
  }

  @Test
  void provesCode_notRememberMeOrAnonymous() {
    Authentication rememberMe =
        new RememberMeAuthenticationToken(
            "key", "alice", AuthorityUtils.createAuthorityList("ROLE_USER"));
    Authentication anonymous =
        new AnonymousAuthenticationToken(
            "key", "anonymous", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    assertThat(BRIDGE.provesCode(rememberMe)).isFalse();
    assertThat(BRIDGE.provesCode(anonymous)).isFalse();
  }

  private static Authentication user(String... authorities) {
    return UsernamePasswordAuthenticationToken.authenticated(
        "alice", null, List.copyOf(AuthorityUtils.createAuthorityList(authorities)));
  }
}
