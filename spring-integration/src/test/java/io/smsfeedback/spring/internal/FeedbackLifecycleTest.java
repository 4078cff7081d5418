package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;

class FeedbackLifecycleTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void stop_closesTheTrackerThenTheReporter() {
    FeedbackLifecycle lifecycle =
        new FeedbackLifecycle(new Fakes.Tracker(events), new Fakes.Reporter(events));
    lifecycle.start();
    assertThat(lifecycle.isRunning()).isTrue();

    lifecycle.stop();

    assertThat(events).containsExactly("tracker.close", "reporter.close");
    assertThat(lifecycle.isRunning()).isFalse();
  }

  @Test
  void stop_withoutTracker_closesTheReporter() {
    new FeedbackLifecycle(null, new Fakes.Reporter(events)).stop();
    assertThat(events).containsExactly("reporter.close");
  }

  @Test
  void phase_stopsAfterTheWebServer() {
    int webServerStop = SmartLifecycle.DEFAULT_PHASE - 2048;
    int gracefulShutdown = SmartLifecycle.DEFAULT_PHASE - 1024;
    FeedbackLifecycle lifecycle = new FeedbackLifecycle(null, null);
    assertThat(lifecycle.getPhase()).isLessThan(webServerStop).isLessThan(gracefulShutdown);
    assertThat(lifecycle.isAutoStartup()).isTrue();
    assertThat(lifecycle.isPauseable()).isFalse();
  }
}
