package io.smsfeedback.servlet.internal;

/** What the filter does with a request on which a umid was pending. */
enum Decision {
  /** Report success. */
  SUCCESS,
  /** Count a wrong code. */
  WRONG_CODE,
  /** A judged request whose result could not be read (5xx, unknown status, error): counted only. */
  NO_VERDICT,
  /** Not a verification request: nothing to do. */
  NOT_JUDGED
}
