package io.smsfeedback.spring.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Hand-written fakes of the core's reporter and tracker. */
public final class Fakes {

  private Fakes() {}

  static ReporterStats reporterStats(
      long delivered, long queued, boolean authFailing, String lastError) {
    return new ReporterStats(
        delivered + queued + 4,
        delivered,
        1,
        2,
        0,
        1,
        queued,
        0,
        0,
        delivered + 3,
        2,
        lastError,
        lastError == null ? null : Instant.parse("2026-01-02T03:04:05Z"),
        authFailing);
  }

  static TrackerStats trackerStats(long tracked) {
    return new TrackerStats(tracked, tracked, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** A reporter whose stats are set by the test; records its close in {@code events}. */
  public static final class Reporter implements FeedbackReporter {
    volatile ReporterStats stats = reporterStats(0, 0, false, null);
    private final List<String> events;

    public Reporter(List<String> events) {
      this.events = events;
    }

    @Override
    public boolean report(Feedback feedback) {
      return false;
    }

    @Override
    public ReporterStats stats() {
      return stats;
    }

    @Override
    public boolean flush(Duration timeout) {
      return true;
    }

    @Override
    public void close() {
      events.add("reporter.close");
    }
  }

  /** A tracker that records its close in {@code events}. */
  public static final class Tracker implements ConversionTracker {
    volatile TrackerStats stats = trackerStats(0);
    private final List<String> events;

    public Tracker(List<String> events) {
      this.events = events;
    }

    @Override
    public Signal sent(SentOtp otp) {
      return Signal.APPLIED;
    }

    @Override
    public Signal superseded(SentOtp replaced, Instant at) {
      return Signal.APPLIED;
    }

    @Override
    public Signal verified(SentOtp otp, Instant at) {
      return Signal.APPLIED;
    }

    @Override
    public Signal wrongCode(SentOtp otp, Instant at) {
      return Signal.ATTEMPT_COUNTED;
    }

    @Override
    public TrackerStats stats() {
      return stats;
    }

    @Override
    public void close() {
      events.add("tracker.close");
    }
  }
}
