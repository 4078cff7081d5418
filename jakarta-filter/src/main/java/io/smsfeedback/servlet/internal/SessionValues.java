package io.smsfeedback.servlet.internal;

import io.smsfeedback.SentOtp;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads the session attribute's value: a {@code String} umid, a {@link UUID} or a {@link SentOtp}.
 * Anything else is ignored, never an exception.
 */
final class SessionValues {

  /** Strings longer than this are not even looked at. */
  public static final int MAX_LENGTH = 64;

  /** Why a value was ignored. */
  public enum Ignored {
    /** Neither a String, a UUID nor a SentOtp (also a SentOtp from another class loader). */
    OTHER_TYPE("a value of an unsupported type"),
    /** A string that is not a UUID in canonical form. */
    NOT_A_UUID("a string that is not a UUID"),
    /** A string longer than {@link #MAX_LENGTH} characters. */
    OVERSIZED("a string longer than " + MAX_LENGTH + " characters");

    private final String description;

    Ignored(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** The result: an OTP, a reason to ignore the value, or neither (absent or blank). */
  public record Parsed(@Nullable SentOtp otp, @Nullable Ignored ignored) {
    static final Parsed ABSENT = new Parsed(null, null);
  }

  private SessionValues() {}

  /**
   * Parses {@code value}. A {@code String} or {@code UUID} becomes an OTP of {@code subAccountId}
   * sent at {@code now}; a {@link SentOtp} is taken as it is.
   */
  public static Parsed parse(@Nullable Object value, String subAccountId, Instant now) {
    if (value == null) {
      return Parsed.ABSENT;
    }
    if (value instanceof SentOtp otp) {
      return new Parsed(otp, null);
    }
    if (value instanceof UUID umid) {
      return new Parsed(new SentOtp(subAccountId, umid, now), null);
    }
    if (value instanceof String s) {
      if (s.length() > MAX_LENGTH) {
        return new Parsed(null, Ignored.OVERSIZED);
      }
      if (s.isBlank()) {
        return Parsed.ABSENT;
      }
      UUID umid;
      try {
        umid = SentOtp.parseUmid(s);
      } catch (IllegalArgumentException e) {
        return new Parsed(null, Ignored.NOT_A_UUID);
      }
      return new Parsed(new SentOtp(subAccountId, umid, now), null);
    }
    return new Parsed(null, Ignored.OTHER_TYPE);
  }

  /**
   * A key to tell whether the value changed during a request without holding on to mutable session
   * objects: the value itself for immutable types, the type and identity otherwise.
   */
  public static @Nullable Object key(@Nullable Object value) {
    if (value == null
        || value instanceof String
        || value instanceof UUID
        || value instanceof SentOtp) {
      return value;
    }
    return new Identity(value.getClass().getName(), System.identityHashCode(value));
  }

  private record Identity(String type, int identity) {}
}
