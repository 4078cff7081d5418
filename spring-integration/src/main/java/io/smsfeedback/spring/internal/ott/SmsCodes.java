package io.smsfeedback.spring.internal.ott;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenService;

/**
 * A {@link OneTimeTokenService} of SMS codes kept by username (in memory: {@link SmsCodeService};
 * shared by the nodes of a cluster: {@link JdbcSmsCodeService}), plus the helpers both use.
 */
public interface SmsCodes extends OneTimeTokenService {

  /** Drops the user's code, e.g. when it could not be sent. */
  void discard(String username);

  /** A code of {@code length} decimal digits. */
  static String newCode(SecureRandom random, int length) {
    char[] digits = new char[length];
    for (int i = 0; i < digits.length; i++) {
      digits[i] = (char) ('0' + random.nextInt(10));
    }
    return new String(digits);
  }

  /**
   * The user a typed code is meant for: the one {@link UsernameBindingConverter} bound, or a
   * plain token's non-blank {@code String} principal; {@code null} if it names no user.
   */
  static @Nullable String usernameOf(OneTimeTokenAuthenticationToken token) {
    if (token instanceof SmsCodeAuthenticationToken bound) {
      return bound.getName();
    }
    Object principal = token.getPrincipal();
    return principal instanceof String name && !name.isBlank() ? name : null;
  }

  /** The typed code's bytes, surrounding spaces removed; {@code null} if there is none. */
  static byte @Nullable [] typedCode(OneTimeTokenAuthenticationToken token) {
    String typed = token.getTokenValue();
    return typed == null ? null : typed.strip().getBytes(StandardCharsets.UTF_8);
  }
}
