package io.smsfeedback.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.servlet.fakes.RecordingTracker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FeedbackComponentsTest {

  final List<String> closed = new CopyOnWriteArrayList<>();

  FeedbackReporter reporter() {
    return new FeedbackReporter() {
      @Override
      public boolean report(Feedback feedback) {
        return false;
      }

      @Override
      public ReporterStats stats() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean flush(Duration timeout) {
        return true;
      }

      @Override
      public void close() {
        closed.add("reporter");
      }
    };
  }

  @Test
  void close_trackerFirstThenReporterOnce() {
    RecordingTracker tracker = new RecordingTracker();
    tracker.onClose = () -> closed.add("tracker");
    FeedbackComponents components = new FeedbackComponents(reporter(), tracker);

    components.close();
    components.close();

    assertThat(closed).containsExactly("tracker", "reporter");
  }

  @Test
  void close_closesTheReporterEvenIfTheTrackerThrows() {
    RecordingTracker tracker = new RecordingTracker();
    tracker.onClose =
        () -> {
          throw new IllegalStateException("bug");
        };

    new FeedbackComponents(reporter(), tracker).close();

    assertThat(closed).containsExactly("reporter");
  }

  @Test
  void sender_isMadeOnceFromTheSettings_andClosedWithTheComponents() throws Exception {
    FeedbackComponents components =
        FeedbackComponents.create(
            io.smsfeedback.FeedbackSettings.builder()
                .apiKey("components-key-0123456789")
                .subAccountId("acme-otp")
                .baseUrl(java.net.URI.create("http://127.0.0.1:9"))
                .build());
    io.smsfeedback.SmsSender sender = components.sender();
    assertThat(components.sender()).isSameAs(sender);
    assertThat(sender.subAccountId()).isEqualTo("acme-otp");

    components.close();

    assertThat(sender.sendAsync("+6591234567", "code 1234"))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(io.smsfeedback.SmsNotSentException.class)
        .withMessageContaining("closed");
    org.assertj.core.api.Assertions.assertThatThrownBy(components::sender)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sender_needsSettings() {
    FeedbackComponents components = new FeedbackComponents(reporter(), new RecordingTracker());

    org.assertj.core.api.Assertions.assertThatThrownBy(components::sender)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("settings");
  }
}
