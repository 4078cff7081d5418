package io.smsfeedback.servlet.internal;

import io.smsfeedback.servlet.FilterStats;
import java.util.concurrent.atomic.LongAdder;

/** The filter's counters. Thread-safe. */
public final class Counters {
  public final LongAdder requests = new LongAdder();
  public final LongAdder sends = new LongAdder();
  public final LongAdder superseded = new LongAdder();
  public final LongAdder successes = new LongAdder();
  public final LongAdder wrongCodes = new LongAdder();
  public final LongAdder noVerdicts = new LongAdder();
  public final LongAdder ignoredValues = new LongAdder();
  public final LongAdder internalErrors = new LongAdder();

  public FilterStats snapshot() {
    return new FilterStats(
        requests.sum(),
        sends.sum(),
        superseded.sum(),
        successes.sum(),
        wrongCodes.sum(),
        noVerdicts.sum(),
        ignoredValues.sum(),
        internalErrors.sum());
  }
}
