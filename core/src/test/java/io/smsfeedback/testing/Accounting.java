package io.smsfeedback.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.ReporterStats;

/** Asserts the reporter's accounting identity; call it after every scenario. */
public final class Accounting {

  private Accounting() {}

  /** {@code accepted = delivered + rejected + expired + dropped + queued + inFlight}, no negatives. */
  public static ReporterStats assertBalanced(ReporterStats s) {
    assertThat(s.accepted())
        .as("accepted = delivered + rejected + expired + dropped + queued + inFlight in %s", s)
        .isEqualTo(
            s.delivered() + s.rejected() + s.expired() + s.dropped() + s.queued() + s.inFlight());
    assertThat(s.balanced()).as("balanced() in %s", s).isTrue();
    assertThat(java.util.stream.LongStream.of(
          s.accepted(), s.delivered(), s.rejected(), s.expired(), s.droppedQueueFull(),
          s.droppedShutdown(), s.queued(), s.inFlight(), s.duplicates(), s.attempts(), s.retries())
        .boxed()
        .toList())
        .as("no negative counter in %s", s)
        .allMatch(v -> v >= 0);
    assertThat(s.retries()).as("retries <= attempts in %s", s).isLessThanOrEqualTo(s.attempts());
    return s;
  }

  /** Also checks that the listener saw one terminal event per finished feedback. */
  public static ReporterStats assertBalanced(ReporterStats s, RecordingListener listener) {
    assertBalanced(s);
    assertThat((long) listener.terminals.size())
        .as("terminal events = finished feedbacks in %s", s)
        .isEqualTo(s.accepted() - s.queued() - s.inFlight());
    return s;
  }
}
