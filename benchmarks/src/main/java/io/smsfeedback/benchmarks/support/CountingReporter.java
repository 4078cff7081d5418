package io.smsfeedback.benchmarks.support;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reporter that only counts: to measure the tracker and the filter without the hand-off to the
 * real reporter's dispatcher thread.
 */
public final class CountingReporter implements FeedbackReporter {

  private final LongAdder reported = new LongAdder();

  @Override
  public boolean report(Feedback feedback) {
    reported.increment();
    return true;
  }

  public long reported() {
    return reported.sum();
  }

  @Override
  public ReporterStats stats() {
    long n = reported.sum();
    return new ReporterStats(n, n, 0, 0, 0, 0, 0, 0, 0, n, 0, null, null, false);
  }

  @Override
  public boolean flush(Duration timeout) {
    return true;
  }

  @Override
  public void close() {}
}
