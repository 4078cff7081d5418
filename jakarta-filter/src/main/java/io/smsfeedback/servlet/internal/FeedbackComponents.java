package io.smsfeedback.servlet.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A reporter and the tracker feeding it, owned by a self-configured filter. Closed once. */
public final class FeedbackComponents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.servlet");

  private final FeedbackReporter reporter;
  private final ConversionTracker tracker;
  private final AtomicBoolean closed = new AtomicBoolean();

  public FeedbackComponents(FeedbackReporter reporter, ConversionTracker tracker) {
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
  }

  /** Creates and starts a reporter and a tracker from {@code settings}. */
  public static FeedbackComponents create(FeedbackSettings settings) {
    FeedbackReporter reporter = FeedbackReporter.create(settings);
    try {
      return new FeedbackComponents(reporter, ConversionTracker.create(settings, reporter));
    } catch (RuntimeException e) {
      reporter.close();
      throw e;
    }
  }

  public FeedbackReporter reporter() {
    return reporter;
  }

  public ConversionTracker tracker() {
    return tracker;
  }

  /** Stops the tracker first (no new outcomes), then drains and closes the reporter. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      tracker.close();
    } catch (RuntimeException e) {
      LOG.warn("sms-feedback: closing the conversion tracker failed", e);
    }
    try {
      reporter.close();
    } catch (RuntimeException e) {
      LOG.warn("sms-feedback: closing the feedback reporter failed", e);
    }
  }
}
