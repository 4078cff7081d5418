package io.smsfeedback.spring.internal.ott;

import java.io.Serial;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

/**
 * A typed one-time code together with the user it is meant for, so that {@link SmsCodeService}
 * checks it against that user's code only. Made by {@link UsernameBindingConverter}.
 */
public final class SmsCodeAuthenticationToken extends OneTimeTokenAuthenticationToken {

  @Serial private static final long serialVersionUID = 1L;

  private final String username;

  public SmsCodeAuthenticationToken(String username, String code) {
    super(code);
    this.username = Objects.requireNonNull(username, "username");
  }

  @Override
  public Object getPrincipal() {
    return username;
  }

  @Override
  public String getName() {
    return username;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof SmsCodeAuthenticationToken that
        && username.equals(that.username)
        && super.equals(other);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + username.hashCode();
  }
}
