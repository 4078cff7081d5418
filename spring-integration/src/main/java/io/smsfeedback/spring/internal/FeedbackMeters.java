package io.smsfeedback.spring.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smsfeedback.AttemptEvent;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer meters of sms-feedback. Tags carry only low-cardinality values (never a umid, a
 * subaccount or the key):
 *
 * <ul>
 *   <li>{@code sms.feedback.reports} counter, tags {@code outcome} (success, failure) and {@code
 *       result} (delivered, rejected, expired, dropped): feedback that reached its terminal state;
 *   <li>{@code sms.feedback.delivery} timer, tag {@code result} (delivered, rejected): from the
 *       user's action to 8x8's answer;
 *   <li>{@code sms.feedback.attempts} counter, tag {@code status} (2xx, 4xx, 5xx, io): HTTP
 *       attempts;
 *   <li>{@code sms.feedback.queue.size} gauge: feedback waiting for delivery;
 *   <li>{@code sms.feedback.tracked} gauge: OTPs the tracker holds.
 * </ul>
 *
 * It is a {@link FeedbackListener} of the auto-configured reporter; meters follow every registry it
 * is bound to.
 */
public final class FeedbackMeters implements MeterBinder, FeedbackListener {

  private final ObjectProvider<FeedbackReporter> reporter;
  private final ObjectProvider<ConversionTracker> tracker;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  public FeedbackMeters(
      ObjectProvider<FeedbackReporter> reporter, ObjectProvider<ConversionTracker> tracker) {
    this.reporter = reporter;
    this.tracker = tracker;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    Gauge.builder("sms.feedback.queue.size", this, FeedbackMeters::queueSize)
        .description("Feedback waiting for delivery (including waiting for a retry)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("sms.feedback.tracked", this, FeedbackMeters::tracked)
        .description("OTPs held by the conversion tracker")
        .strongReference(true)
        .register(registry);
    for (Outcome outcome : Outcome.values()) {
      for (DeliveryState state : DeliveryState.values()) {
        reports(registry, outcome, state);
      }
    }
  }

  @Override
  public void onTerminal(DeliveryEvent event) {
    Duration latency = event.latency();
    for (MeterRegistry registry : registries) {
      reports(registry, event.feedback().outcome(), event.state()).increment();
      if (latency != null) {
        Timer.builder("sms.feedback.delivery")
            .description("Time from the user's action to 8x8's answer")
            .tag("result", tag(event.state()))
            .register(registry)
            .record(latency);
      }
    }
  }

  @Override
  public void onAttempt(AttemptEvent event) {
    for (MeterRegistry registry : registries) {
      Counter.builder("sms.feedback.attempts")
          .description("HTTP attempts to 8x8's Success Feedback API, by status class")
          .tag("status", event.statusClass())
          .register(registry)
          .increment();
    }
  }

  private static Counter reports(MeterRegistry registry, Outcome outcome, DeliveryState state) {
    return Counter.builder("sms.feedback.reports")
        .description("Feedback that reached its terminal state")
        .tag("outcome", outcome.wireValue())
        .tag("result", tag(state))
        .register(registry);
  }

  private static String tag(DeliveryState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private double queueSize() {
    FeedbackReporter r = reporter.getIfAvailable();
    if (r == null) {
      return 0;
    }
    return r.stats().queued();
  }

  private double tracked() {
    ConversionTracker t = tracker.getIfAvailable();
    return t == null ? 0 : t.stats().tracked();
  }
}
