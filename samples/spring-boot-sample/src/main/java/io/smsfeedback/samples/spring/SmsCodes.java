package io.smsfeedback.samples.spring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * One-time tokens that fit in an SMS: 6 digits, one per user, valid for 5 minutes and 5 tries.
 *
 * <p>Spring Security's {@code InMemoryOneTimeTokenService} makes UUIDs, finds a token by its value
 * alone and drops it on the first try. A 6-digit code must instead be checked against the code of
 * the user who is signing in (the one who passed the password step), and a typo must not burn it.
 */
final class SmsCodes implements OneTimeTokenService {

  static final Duration LIFETIME = Duration.ofMinutes(5);
  static final int MAX_TRIES = 5;

  private record Pending(String code, Instant expiresAt, int wrongTries) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> byUser = new ConcurrentHashMap<>();
  private final Clock clock;

  SmsCodes(Clock clock) {
    this.clock = clock;
  }

  @Override
  public OneTimeToken generate(GenerateOneTimeTokenRequest request) {
    String code = String.format("%06d", random.nextInt(1_000_000));
    Instant expiresAt = clock.instant().plus(LIFETIME);
    byUser.put(request.getUsername(), new Pending(code, expiresAt, 0));
    return new DefaultOneTimeToken(code, request.getUsername(), expiresAt);
  }

  @Override
  public OneTimeToken consume(OneTimeTokenAuthenticationToken token) {
    Authentication current = SecurityContextHolder.getContext().getAuthentication();
    String typed = token.getTokenValue();
    if (current == null || !current.isAuthenticated() || typed == null) {
      return null;
    }
    String user = current.getName();
    OneTimeToken[] result = new OneTimeToken[1];
    byUser.computeIfPresent(
        user,
        (u, p) -> {
          if (clock.instant().isAfter(p.expiresAt())) {
            return null;
          }
          if (MessageDigest.isEqual(bytes(p.code()), bytes(typed.trim()))) {
            result[0] = new DefaultOneTimeToken(p.code(), u, p.expiresAt());
            return null;
          }
          int wrong = p.wrongTries() + 1;
          return wrong >= MAX_TRIES ? null : new Pending(p.code(), p.expiresAt(), wrong);
        });
    return result[0];
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
