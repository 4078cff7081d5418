package io.smsfeedback.servlet.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SmsSender;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A reporter and the tracker feeding it, owned by a self-configured filter. Closed once. */
public final class FeedbackComponents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.servlet");

  private final FeedbackReporter reporter;
  private final ConversionTracker tracker;
  private final @Nullable FeedbackSettings settings;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Made on first use by {@link #sender()}; guarded by {@code this}. */
  private @Nullable SmsSender sender;

  public FeedbackComponents(FeedbackReporter reporter, ConversionTracker tracker) {
    this(reporter, tracker, null);
  }

  private FeedbackComponents(
      FeedbackReporter reporter, ConversionTracker tracker, @Nullable FeedbackSettings settings) {
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.settings = settings;
  }

  /** Creates and starts a reporter and a tracker from {@code settings}. */
  public static FeedbackComponents create(FeedbackSettings settings) {
    FeedbackReporter reporter = FeedbackReporter.create(settings);
    try {
      return new FeedbackComponents(
          reporter, ConversionTracker.create(settings, reporter), settings);
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

  /**
   * An SMS sender on the same settings, made on first use and closed with these components.
   *
   * @throws IllegalStateException if these components were not made from settings, or are closed
   */
  public synchronized SmsSender sender() {
    if (closed.get()) {
      throw new IllegalStateException("sms-feedback: the filter was destroyed");
    }
    if (settings == null) {
      throw new IllegalStateException("sms-feedback: no settings to make an SMS sender from");
    }
    if (sender == null) {
      sender = SmsSender.create(settings);
    }
    return sender;
  }

  /**
   * Closes the SMS sender, stops the tracker (no new outcomes), then drains and closes the
   * reporter. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    SmsSender s;
    synchronized (this) {
      s = sender;
    }
    if (s != null) {
      s.close();
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
