package io.smsfeedback.spring.internal.ott;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Binds the code typed on {@code POST /login/ott} to the user it is meant for: the form's {@code
 * username} field if it has one, else the user this session last asked a code for (remembered by
 * {@link SmsCodeGenerationSuccessHandler}). Without either the token stays unbound and {@link
 * SmsCodeService} refuses it.
 */
public final class UsernameBindingConverter implements AuthenticationConverter {

  /** Session attribute holding the username of the last code requested in this session. */
  public static final String USERNAME_ATTRIBUTE = "io.smsfeedback.OTT_USERNAME";

  static final String USERNAME_PARAMETER = "username";

  private final AuthenticationConverter delegate;

  public UsernameBindingConverter(AuthenticationConverter delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  AuthenticationConverter delegate() {
    return delegate;
  }

  @Override
  public @Nullable Authentication convert(HttpServletRequest request) {
    Authentication converted = delegate.convert(request);
    if (!(converted instanceof OneTimeTokenAuthenticationToken token)
        || converted instanceof SmsCodeAuthenticationToken) {
      return converted;
    }
    String username = username(request);
    String code = token.getTokenValue();
    if (username == null || code == null) {
      return converted;
    }
    SmsCodeAuthenticationToken bound = new SmsCodeAuthenticationToken(username, code);
    bound.setDetails(token.getDetails());
    return bound;
  }

  private static @Nullable String username(HttpServletRequest request) {
    String parameter = request.getParameter(USERNAME_PARAMETER);
    if (parameter != null && !parameter.isBlank()) {
      return parameter;
    }
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(USERNAME_ATTRIBUTE) instanceof String name
        ? name
        : null;
  }
}
