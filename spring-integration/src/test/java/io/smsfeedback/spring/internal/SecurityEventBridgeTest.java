package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

class SecurityEventBridgeTest {

  @Test
  void provesCode_aPlainAuthentication() {
    assertThat(SecurityEventBridge.provesCode(user("ROLE_USER"))).isTrue();
  }

  @Test
  void provesCode_notThePasswordFactorAlone() {
    assertThat(SecurityEventBridge.provesCode(user("ROLE_USER", "FACTOR_PASSWORD"))).isFalse();
  }

  @Test
  void provesCode_anotherFactor() {
    assertThat(SecurityEventBridge.provesCode(user("FACTOR_OTT"))).isTrue();
    assertThat(SecurityEventBridge.provesCode(user("FACTOR_PASSWORD", "FACTOR_OTT"))).isTrue();
  }

  @Test
  void provesCode_notRememberMeOrAnonymous() {
    Authentication rememberMe =
        new RememberMeAuthenticationToken(
            "key", "alice", AuthorityUtils.createAuthorityList("ROLE_USER"));
    Authentication anonymous =
        new AnonymousAuthenticationToken(
            "key", "anonymous", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    assertThat(SecurityEventBridge.provesCode(rememberMe)).isFalse();
    assertThat(SecurityEventBridge.provesCode(anonymous)).isFalse();
  }

  private static Authentication user(String... authorities) {
    return UsernamePasswordAuthenticationToken.authenticated(
        "alice", null, List.copyOf(AuthorityUtils.createAuthorityList(authorities)));
  }
}
