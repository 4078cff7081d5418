package io.smsfeedback.servlet.internal;

/** What a verification request said about the pending OTP. */
public enum Verdict {
  /** The right code: success. */
  VERIFIED,
  /** A wrong code: an attempt. */
  REJECTED
}
