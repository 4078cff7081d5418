package io.smsfeedback.spring.internal;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the health indicators of both Spring Boot lines show: UP with the reporter's and tracker's
 * counters (and the tracking store's state: a degraded JDBC store shows in the details, never as
 * DOWN), or DOWN while 8x8 refuses our key if the user opted in.
 */
public final class FeedbackHealth {

  /** A status and its details. */
  public record Snapshot(boolean up, Map<String, Object> details) {}

  /**
   * Adds to the details: a tracking store's state (the JDBC store's: {@link JdbcStoreHealth}), the
   * active pumping alarms ({@link ConversionInsight}).
   */
  @FunctionalInterface
  public interface StoreDetails {
    void addTo(Map<String, Object> details);
  }

  private final FeedbackReporter reporter;
  private final @Nullable ConversionTracker tracker;
  private final @Nullable StoreDetails store;
  private final boolean downOnAuthFailure;

  public FeedbackHealth(
      FeedbackReporter reporter, @Nullable ConversionTracker tracker, boolean downOnAuthFailure) {
    this(reporter, tracker, null, downOnAuthFailure);
  }

  public FeedbackHealth(
      FeedbackReporter reporter,
      @Nullable ConversionTracker tracker,
      @Nullable StoreDetails store,
      boolean downOnAuthFailure) {
    this.reporter = reporter;
    this.tracker = tracker;
    this.store = store;
    this.downOnAuthFailure = downOnAuthFailure;
  }

  public Snapshot snapshot() {
    ReporterStats s = reporter.stats();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("queued", s.queued());
    details.put("inFlight", s.inFlight());
    details.put("delivered", s.delivered());
    details.put("rejected", s.rejected());
    details.put("expired", s.expired());
    details.put("dropped", s.dropped());
    if (tracker != null) {
      details.put("tracked", tracker.stats().tracked());
    }
    if (store != null) {
      store.addTo(details);
    }
    details.put("authFailing", s.authFailing());
    if (s.lastError() != null) {
      details.put("lastError", s.lastError());
      details.put("lastErrorAt", String.valueOf(s.lastErrorAt()));
    }
    return new Snapshot(!(downOnAuthFailure && s.authFailing()), details);
  }
}
