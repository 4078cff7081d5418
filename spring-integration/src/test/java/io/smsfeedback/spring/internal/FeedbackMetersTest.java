package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smsfeedback.AttemptEvent;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class FeedbackMetersTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final UUID UMID = UUID.fromString("3f1c1e52-9a8b-4c6d-8e7f-0123456789ab");

  private final Fakes.Reporter reporter = new Fakes.Reporter(new ArrayList<>());
  private final Fakes.Tracker tracker = new Fakes.Tracker(new ArrayList<>());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FeedbackMeters meters;

  FeedbackMetersTest() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("reporter", reporter);
    beans.addBean("tracker", tracker);
    meters =
        new FeedbackMeters(
            beans.getBeanProvider(FeedbackReporter.class),
            beans.getBeanProvider(ConversionTracker.class));
    meters.bindTo(registry);
  }

  @Test
  void bind_registersEveryReportCounterAtZeroAndTheGauges() {
    assertThat(registry.find("sms.feedback.reports").counters()).hasSize(8);
    assertThat(
            registry
                .get("sms.feedback.reports")
                .tag("outcome", "failure")
                .tag("result", "expired")
                .counter()
                .count())
        .isZero();

    reporter.stats = Fakes.reporterStats(0, 5, false, null);
    tracker.stats = Fakes.trackerStats(9);
    assertThat(registry.get("sms.feedback.queue.size").gauge().value()).isEqualTo(5);
    assertThat(registry.get("sms.feedback.tracked").gauge().value()).isEqualTo(9);
  }

  @Test
  void terminal_countsByOutcomeAndResultAndTimesTheDelivery() {
    meters.onTerminal(event(Outcome.SUCCESS, DeliveryState.DELIVERED, Duration.ofMillis(250)));
    meters.onTerminal(event(Outcome.FAILURE, DeliveryState.DROPPED, null));

    assertThat(count("success", "delivered")).isEqualTo(1);
    assertThat(count("failure", "dropped")).isEqualTo(1);
    assertThat(count("success", "rejected")).isZero();
    var timer = registry.get("sms.feedback.delivery").tag("result", "delivered").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(250);
  }

  @Test
  void attempt_countsByStatusClass() {
    meters.onAttempt(attempt(TransportResult.ofStatus(503)));
    meters.onAttempt(attempt(TransportResult.ofStatus(503)));
    meters.onAttempt(attempt(TransportResult.ioError("connect refused")));
    meters.onAttempt(attempt(TransportResult.delivered(200)));

    assertThat(registry.get("sms.feedback.attempts").tag("status", "5xx").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("sms.feedback.attempts").tag("status", "io").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("sms.feedback.attempts").tag("status", "2xx").counter().count())
        .isEqualTo(1);
  }

  @Test
  void tags_neverCarryTheUmidOrSubaccount() {
    meters.onTerminal(event(Outcome.SUCCESS, DeliveryState.REJECTED, Duration.ofMillis(5)));
    meters.onAttempt(attempt(TransportResult.ofStatus(400)));
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).doesNotContain(UMID.toString()).doesNotContain("acme_otp");
      }
    }
  }

  private double count(String outcome, String result) {
    return registry
        .get("sms.feedback.reports")
        .tag("outcome", outcome)
        .tag("result", result)
        .counter()
        .count();
  }

  private static Feedback feedback(Outcome outcome) {
    return new Feedback(new SentOtp("acme_otp", UMID, T0), outcome, T0.plusSeconds(30));
  }

  private static DeliveryEvent event(Outcome outcome, DeliveryState state, Duration latency) {
    return new DeliveryEvent(
        feedback(outcome),
        state,
        state == DeliveryState.DROPPED ? DeliveryEvent.DropReason.SHUTDOWN : null,
        latency == null ? 0 : 1,
        latency == null ? null : TransportResult.delivered(200),
        latency,
        T0.plusSeconds(31));
  }

  private static AttemptEvent attempt(TransportResult result) {
    return new AttemptEvent(
        feedback(Outcome.SUCCESS), 1, result, Duration.ofMillis(20), T0.plusSeconds(31));
  }
}
