package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class FeedbackHealthTest {

  private final Fakes.Reporter reporter = new Fakes.Reporter(new ArrayList<>());
  private final Fakes.Tracker tracker = new Fakes.Tracker(new ArrayList<>());

  @Test
  void snapshot_isUpWithTheCounters() {
    reporter.stats = Fakes.reporterStats(12, 3, false, null);
    tracker.stats = Fakes.trackerStats(7);

    FeedbackHealth.Snapshot s = new FeedbackHealth(reporter, tracker, false).snapshot();

    assertThat(s.up()).isTrue();
    assertThat(s.details())
        .containsEntry("queued", 3L)
        .containsEntry("inFlight", 0L)
        .containsEntry("delivered", 12L)
        .containsEntry("rejected", 1L)
        .containsEntry("expired", 2L)
        .containsEntry("dropped", 1L)
        .containsEntry("tracked", 7L)
        .containsEntry("authFailing", false)
        .doesNotContainKeys("lastError", "lastErrorAt");
  }

  @Test
  void authFailing_staysUpByDefault() {
    reporter.stats = Fakes.reporterStats(0, 0, true, "HTTP 401");

    FeedbackHealth.Snapshot s = new FeedbackHealth(reporter, tracker, false).snapshot();

    assertThat(s.up()).isTrue();
    assertThat(s.details())
        .containsEntry("authFailing", true)
        .containsEntry("lastError", "HTTP 401")
        .containsEntry("lastErrorAt", "2026-01-02T03:04:05Z");
  }

  @Test
  void authFailing_isDownWhenOptedIn() {
    reporter.stats = Fakes.reporterStats(0, 0, true, "HTTP 401");
    assertThat(new FeedbackHealth(reporter, tracker, true).snapshot().up()).isFalse();

    reporter.stats = Fakes.reporterStats(1, 0, false, "HTTP 401");
    assertThat(new FeedbackHealth(reporter, tracker, true).snapshot().up()).isTrue();
  }

  @Test
  void withoutTracker_hasNoTrackedDetail() {
    assertThat(new FeedbackHealth(reporter, null, false).snapshot().details())
        .doesNotContainKey("tracked");
  }
}
