package io.smsfeedback.spring.internal;

import io.smsfeedback.servlet.SmsFeedback;
import java.util.Collection;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Turns Spring Security's authentication events into the verdict of the request that is inside the
 * sms-feedback filter on this thread ({@link SmsFeedback#currentRequestVerified()} / {@link
 * SmsFeedback#currentRequestRejected()}); the filter applies it only if a umid is pending in the
 * session.
 *
 * <p>One login counts once: only {@link AuthenticationSuccessEvent} (published by the {@code
 * ProviderManager} that authenticated) is a success; the {@code
 * InteractiveAuthenticationSuccessEvent} that the login filter publishes afterwards for the same
 * login is ignored. Any {@link AbstractAuthenticationFailureEvent} is a wrong code.
 *
 * <p>Not a success: a remember-me or anonymous authentication, and (Spring Security 7 multi-factor)
 * an authentication whose only factor is the password, which proves nothing about the SMS code.
 *
 * <p>Deliberately a plain {@link ApplicationListener}, never an {@code
 * AbstractAuthenticationAuditListener}, so Spring Boot's audit listener stays in place.
 */
public final class SecurityEventBridge implements ApplicationListener<AbstractAuthenticationEvent> {

  static final String PASSWORD_FACTOR = "FACTOR_PASSWORD";
  static final String FACTOR_PREFIX = "FACTOR_";

  @Override
  public void onApplicationEvent(AbstractAuthenticationEvent event) {
    if (event instanceof AuthenticationSuccessEvent) {
      if (provesCode(event.getAuthentication())) {
        SmsFeedback.currentRequestVerified();
      }
    } else if (event instanceof AbstractAuthenticationFailureEvent) {
      SmsFeedback.currentRequestRejected();
    }
  }

  static boolean provesCode(Authentication authentication) {
    if (authentication instanceof RememberMeAuthenticationToken
        || authentication instanceof AnonymousAuthenticationToken) {
      return false;
    }
    Collection<? extends GrantedAuthority> authorities = authentication.getAuthorities();
    boolean password = false;
    for (GrantedAuthority a : authorities) {
      String name = a.getAuthority();
      if (name == null || !name.startsWith(FACTOR_PREFIX)) {
        continue;
      }
      if (!name.equals(PASSWORD_FACTOR)) {
        return true;
      }
      password = true;
    }
    return !password;
  }
}
