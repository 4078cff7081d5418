package io.smsfeedback.spring.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Drains sms-feedback on shutdown: closes the tracker (no more abandonment timers), then the
 * reporter (stops intake, delivers what is queued within {@code shutdown-timeout}).
 *
 * <p>Its {@link #PHASE} stops it after the web server: Spring Boot stops the server's graceful
 * shutdown at {@code DEFAULT_PHASE - 1024} and the server itself at {@code DEFAULT_PHASE - 2048}
 * (both on Boot 3.5 and 4.0), and lower phases stop later. So the last requests' feedback is
 * reported, and all of it happens before the context destroys its beans.
 */
public final class FeedbackLifecycle implements SmartLifecycle {

  /** {@code SmartLifecycle.DEFAULT_PHASE - 4096}: stopped after the web server stopped. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final @Nullable ConversionTracker tracker;
  private final @Nullable FeedbackReporter reporter;
  private volatile boolean running;

  public FeedbackLifecycle(
      @Nullable ConversionTracker tracker, @Nullable FeedbackReporter reporter) {
    this.tracker = tracker;
    this.reporter = reporter;
  }

  @Override
  public void start() {
    running = true;
  }

  /** Closes the tracker, then the reporter; closing is final (both are idempotent). */
  @Override
  public void stop() {
    try {
      if (tracker != null) {
        tracker.close();
      }
    } finally {
      if (reporter != null) {
        reporter.close();
      }
      running = false;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * Not paused with the context (Spring Framework 7's {@code pause()}): closing is final, so only a
   * real stop drains.
   */
  public boolean isPauseable() {
    return false;
  }
}
