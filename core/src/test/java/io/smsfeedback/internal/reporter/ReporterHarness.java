package io.smsfeedback.internal.reporter;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testing.Accounting;
import io.smsfeedback.testing.FakeTransport;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingListener;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/** A reporter on a manual clock and scheduler, a fake transport and a recording listener. */
final class ReporterHarness {

  static final String API_KEY = "test-key-0123456789abcdef";
  static final String SUB_ACCOUNT = "acme-otp";

  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final FakeTransport transport = new FakeTransport(clock);
  final RecordingListener listener = new RecordingListener();
  final Deque<Double> jitterValues = new ArrayDeque<>();
  double jitter = 0.5;
  final FeedbackSettings settings;
  final DefaultFeedbackReporter reporter;

  ReporterHarness() {
    this(b -> b);
  }

  ReporterHarness(UnaryOperator<FeedbackSettings.Builder> tune) {
    this(tune, new io.smsfeedback.FeedbackListener[0]);
  }

  ReporterHarness(
      UnaryOperator<FeedbackSettings.Builder> tune, io.smsfeedback.FeedbackListener... before) {
    this(tune, (Duration) null, before);
  }

  /** A reporter whose drains linger on the manual scheduler, made without the public builder. */
  static ReporterHarness lingering(Duration linger) {
    return lingering(linger, b -> b);
  }

  static ReporterHarness lingering(Duration linger, UnaryOperator<FeedbackSettings.Builder> tune) {
    return new ReporterHarness(tune, linger);
  }

  private ReporterHarness(
      UnaryOperator<FeedbackSettings.Builder> tune,
      Duration linger,
      io.smsfeedback.FeedbackListener... before) {
    settings =
        tune.apply(
                FeedbackSettings.builder()
                    .apiKey(API_KEY)
                    .subAccountId(SUB_ACCOUNT)
                    .baseUrl(URI.create("http://127.0.0.1:9"))
                    .retryInitialBackoff(Duration.ofSeconds(1))
                    .retryMaxBackoff(Duration.ofSeconds(8))
                    .shutdownTimeout(Duration.ofSeconds(5)))
            .build();
    DoubleSupplier jitterSource = () -> jitterValues.isEmpty() ? jitter : jitterValues.poll();
    if (linger != null) {
      reporter =
          new DefaultFeedbackReporter(
              settings, clock, scheduler, jitterSource, transport, List.of(listener), linger);
      return;
    }
    FeedbackReporter.Builder b =
        FeedbackReporter.builder(settings)
            .clock(clock)
            .scheduler(scheduler)
            .jitter(jitterSource)
            .transport(transport);
    for (io.smsfeedback.FeedbackListener l : before) {
      b.addListener(l);
    }
    reporter = (DefaultFeedbackReporter) b.addListener(listener).build();
  }

  Instant now() {
    return clock.instant();
  }

  /** A success feedback for a fresh umid sent now, acted on now. */
  Feedback feedback() {
    return feedbackWithTimeLeft(settings.validity());
  }

  /** A feedback whose deadline is {@code left} from now. */
  Feedback feedbackWithTimeLeft(Duration left) {
    Instant sentAt = now().minus(settings.validity()).plus(left);
    return new Feedback(new SentOtp(SUB_ACCOUNT, UUID.randomUUID(), sentAt), Outcome.SUCCESS, now());
  }

  /** Reports and lets the dispatcher run what is due now. */
  boolean report(Feedback f) {
    boolean r = reporter.report(f);
    step();
    return r;
  }

  void step() {
    scheduler.runDue();
  }

  void advance(Duration d) {
    scheduler.advance(d);
  }

  ReporterStats stats() {
    return reporter.stats();
  }

  ReporterStats balanced() {
    return Accounting.assertBalanced(reporter.stats(), listener);
  }
}
