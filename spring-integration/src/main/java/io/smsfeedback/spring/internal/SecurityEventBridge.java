package io.smsfeedback.spring.internal;

import io.smsfeedback.servlet.SmsFeedback;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
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
 * login is ignored. Only a failed authentication of those code types is a wrong code, and not one
 * that failed for want of a service ({@link AuthenticationServiceException}); a failed password
 * login is no attempt.
 *
 * <p>Proof of the code: the one-time-token factor ({@code FACTOR_OTT}, Spring Security 7) or a
 * one-time-token authentication type (Spring Security 6.5). A password, remember-me or anonymous
 * authentication proves nothing about the SMS code.
 *
 * <p>Deliberately a plain {@link ApplicationListener}, never an {@code
 * AbstractAuthenticationAuditListener}, so Spring Boot's audit listener stays in place.
 */
public final class SecurityEventBridge implements ApplicationListener<AbstractAuthenticationEvent> {

  static final String OTT_FACTOR = "FACTOR_OTT";
  private static final Set<String> OTT_TYPES =
      Set.of(
          "org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken",
          "org.springframework.security.authentication.ott.OneTimeTokenAuthentication");

  private final Set<String> codeTypes;

  private SecurityEventBridge(Set<String> codeTypes) {
    this.codeTypes = codeTypes;
  }

  /** The bridge with only the one-time-token authentications as proof of the code. */
  public static SecurityEventBridge create() {
    return new SecurityEventBridge(OTT_TYPES);
  }

  /**
   * The bridge that also accepts the listed authentication classes; fails naming {@code
   * sms.feedback.security.code-authentications} when one is not an {@link Authentication} class.
   */
  public static SecurityEventBridge create(List<String> codeAuthentications) {
    Set<String> types = new HashSet<>(OTT_TYPES);
    for (String name : codeAuthentications) {
      Class<?> type;
      try {
        type = Class.forName(name.strip(), false, SecurityEventBridge.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException(
            "sms.feedback.security.code-authentications: no such class: '" + name + "'", e);
      }
      if (!Authentication.class.isAssignableFrom(type)) {
        throw new IllegalStateException(
            "sms.feedback.security.code-authentications: not an Authentication class: '"
                + name
                + "'");
      }
      types.add(type.getName());
    }
    return new SecurityEventBridge(Set.copyOf(types));
  }

  @Override
  public void onApplicationEvent(AbstractAuthenticationEvent event) {
    if (event instanceof AuthenticationSuccessEvent) {
      if (provesCode(event.getAuthentication())) {
        SmsFeedback.currentRequestVerified();
      }
    } else if (event instanceof AbstractAuthenticationFailureEvent failure
        && isWrongCode(failure)) {
      SmsFeedback.currentRequestRejected();
    }
  }

  /**
   * A failed authentication of a code type whose code was checked: not one that failed for want of
   * a service ({@link AuthenticationServiceException}: the user store or the token service was
   * down, the code was never compared).
   */
  boolean isWrongCode(AbstractAuthenticationFailureEvent failure) {
    return isWrongCode(failure.getAuthentication().getClass(), failure.getException());
  }

  /** As {@link #isWrongCode(AbstractAuthenticationFailureEvent)}, for an attempt's type. */
  boolean isWrongCode(Class<?> attemptType, AuthenticationException failure) {
    return !(failure instanceof AuthenticationServiceException) && isCodeAuthentication(attemptType);
  }

  boolean provesCode(Authentication authentication) {
    for (GrantedAuthority a : authentication.getAuthorities()) {
      if (OTT_FACTOR.equals(a.getAuthority())) {
        return true;
      }
    }
    return isCodeAuthentication(authentication);
  }

  /** True for the one-time-token and the listed authentication types, matched by class name. */
  boolean isCodeAuthentication(Authentication authentication) {
    return isCodeAuthentication(authentication.getClass());
  }

  private boolean isCodeAuthentication(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (codeTypes.contains(c.getName())) {
        return true;
      }
      for (Class<?> i : c.getInterfaces()) {
        if (codeTypes.contains(i.getName())) {
          return true;
        }
      }
    }
    return false;
  }
}
