package io.smsfeedback.testing;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link FeedbackReporter} that records every feedback it is given, in order, and accepts all
 * (unless told to refuse or throw). Thread-safe. For unit tests of code that reports.
 */
public final class RecordingFeedbackReporter implements FeedbackReporter {

  private final ConcurrentLinkedQueue<Feedback> received = new ConcurrentLinkedQueue<>();
  private volatile boolean refuse;
  private volatile boolean fail;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** From now on {@link #report} records and returns false (as a full queue would). */
  public RecordingFeedbackReporter refusing(boolean refuse) {
    this.refuse = refuse;
    return this;
  }

  /** From now on {@link #report} throws without recording (a broken reporter). */
  public RecordingFeedbackReporter throwing(boolean fail) {
    this.fail = fail;
    return this;
  }

  @Override
  public boolean report(Feedback feedback) {
    if (fail) {
      throw new IllegalStateException("reporter failure (test)");
    }
    received.add(feedback);
    return !refuse;
  }

  /** Everything received so far, in arrival order. */
  public List<Feedback> received() {
    return List.copyOf(received);
  }

  /** Everything received so far by umid; fails if a umid was received twice. */
  public Map<UUID, Feedback> byUmid() {
    return received.stream().collect(Collectors.toMap(Feedback::umid, Function.identity()));
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public ReporterStats stats() {
    long n = received.size();
    return new ReporterStats(n, n, 0, 0, 0, 0, 0, 0, 0, n, 0, null, null, false);
  }

  @Override
  public boolean flush(Duration timeout) {
    return true;
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
