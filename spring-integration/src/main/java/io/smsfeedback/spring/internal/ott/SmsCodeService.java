package io.smsfeedback.spring.internal.ott;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

/**
 * Short numeric one-time codes that are safe to send by SMS, kept in this JVM's memory.
 *
 * <ul>
 *   <li>One code per user: a new code replaces the user's previous one (a resend ends the first).
 *   <li>A code is checked only against the code of the user signing in ({@link
 *       SmsCodeAuthenticationToken}, or the principal of a plain token); never looked up by value,
 *       since a six-digit value would match some other user's code far too often.
 *   <li>Single use; unusable from {@code expiry} after it was generated.
 *   <li>A wrong code counts a try and keeps the code (people mistype); the {@code max-attempts}-th
 *       wrong code ends it.
 *   <li>Compared in constant time ({@link MessageDigest#isEqual}).
 *   <li>Bounded: at most {@code max-codes}; when full, expired codes go, then the oldest.
 * </ul>
 *
 * <p>Thread-safe: {@code codes} and each {@link Pending}'s {@code wrongTries} are guarded by {@code
 * this}; nothing slow runs under the lock.
 */
public final class SmsCodeService implements SmsCodes {

  private final OttSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** By username, oldest first (a new code re-inserts its user at the end). Guarded by this. */
  private final LinkedHashMap<String, Pending> codes = new LinkedHashMap<>();

  public SmsCodeService(OttSettings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public OneTimeToken generate(GenerateOneTimeTokenRequest request) {
    String username = request.getUsername();
    String code = SmsCodes.newCode(random, settings.codeLength());
    Instant expiresAt = clock.instant().plus(settings.expiry());
    synchronized (this) {
      codes.remove(username);
      if (codes.size() >= settings.maxCodes()) {
        makeRoom();
      }
      codes.put(username, new Pending(code.getBytes(StandardCharsets.US_ASCII), expiresAt));
    }
    return new DefaultOneTimeToken(code, username, expiresAt);
  }

  @Override
  public @Nullable OneTimeToken consume(OneTimeTokenAuthenticationToken authenticationToken) {
    String username = SmsCodes.usernameOf(authenticationToken);
    byte[] typedBytes = SmsCodes.typedCode(authenticationToken);
    if (username == null || typedBytes == null) {
      return null;
    }
    Instant now = clock.instant();
    synchronized (this) {
      Pending pending = codes.get(username);
      if (pending == null) {
        return null;
      }
      if (!now.isBefore(pending.expiresAt)) {
        codes.remove(username);
        return null;
      }
      if (MessageDigest.isEqual(pending.code, typedBytes)) {
        codes.remove(username);
        return new DefaultOneTimeToken(
            new String(pending.code, StandardCharsets.US_ASCII), username, pending.expiresAt);
      }
      if (++pending.wrongTries >= settings.maxAttempts()) {
        codes.remove(username);
      }
      return null;
    }
  }

  @Override
  public synchronized void discard(String username) {
    codes.remove(username);
  }

  /** Codes held now, expired ones included until they are purged. */
  public synchronized int size() {
    return codes.size();
  }

  /** Called with the lock held and the map full: expired codes go, else the oldest. */
  private void makeRoom() {
    Instant now = clock.instant();
    codes.values().removeIf(p -> !now.isBefore(p.expiresAt));
    Iterator<Map.Entry<String, Pending>> oldest = codes.entrySet().iterator();
    while (codes.size() >= settings.maxCodes() && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** A user's code. {@code wrongTries} is guarded by the service's lock. */
  private static final class Pending {
    final byte[] code;
    final Instant expiresAt;
    int wrongTries;

    Pending(byte[] code, Instant expiresAt) {
      this.code = code;
      this.expiresAt = expiresAt;
    }
  }
}
