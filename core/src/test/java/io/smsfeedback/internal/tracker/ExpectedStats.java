package io.smsfeedback.internal.tracker;

import io.smsfeedback.TrackerStats;

/** Expected {@link TrackerStats}: every counter zero unless set. */
final class ExpectedStats {
  long tracked;
  long pending;
  long successes;
  long failuresSuperseded;
  long failuresMaxAttempts;
  long failuresAbandoned;
  long wrongCodes;
  long duplicates;
  long adopted;
  long tooLate;
  long expired;
  long overCapacity;
  long afterClose;
  long errors;

  ExpectedStats tracked(long n) {
    tracked = n;
    return this;
  }

  ExpectedStats pending(long n) {
    pending = n;
    return this;
  }

  ExpectedStats successes(long n) {
    successes = n;
    return this;
  }

  ExpectedStats superseded(long n) {
    failuresSuperseded = n;
    return this;
  }

  ExpectedStats maxAttempts(long n) {
    failuresMaxAttempts = n;
    return this;
  }

  ExpectedStats abandoned(long n) {
    failuresAbandoned = n;
    return this;
  }

  ExpectedStats wrongCodes(long n) {
    wrongCodes = n;
    return this;
  }

  ExpectedStats duplicates(long n) {
    duplicates = n;
    return this;
  }

  ExpectedStats adopted(long n) {
    adopted = n;
    return this;
  }

  ExpectedStats tooLate(long n) {
    tooLate = n;
    return this;
  }

  ExpectedStats expired(long n) {
    expired = n;
    return this;
  }

  ExpectedStats overCapacity(long n) {
    overCapacity = n;
    return this;
  }

  ExpectedStats afterClose(long n) {
    afterClose = n;
    return this;
  }

  ExpectedStats errors(long n) {
    errors = n;
    return this;
  }

  TrackerStats toStats() {
    return new TrackerStats(
        tracked,
        pending,
        successes,
        failuresSuperseded,
        failuresMaxAttempts,
        failuresAbandoned,
        wrongCodes,
        duplicates,
        adopted,
        tooLate,
        expired,
        overCapacity,
        afterClose,
        errors);
  }
}
