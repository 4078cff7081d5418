package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on one table, the lease at its minimum (3 scan intervals), 8x8 slow (1.5 s per answer,
 * one request at a time, so node A's reporter needs longer than a lease to drain). Node A stops
 * gracefully, in the documented order, while it delivers: its leases must stay renewed until its
 * reporter has drained, so node B, scanning all along, never takes over (and re-delivers) an outcome
 * A is still delivering.
 */
class GracefulStopIT {

  static final String KEY = "graceful-key-0123456789abcdef";
  static final Duration SCAN = Duration.ofMillis(500);
  static final Duration LEASE = SCAN.multipliedBy(3);
  static final Duration LATENCY = Duration.ofMillis(1500);
  static final int OUTCOMES = 3;

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  @RegisterExtension final Closer open = new Closer();

  @Test
  void gracefulStopDuringSlowDelivery_otherNodeNeverRedelivers() throws Exception {
    SmsApiSimulator sim = extension.simulator();
    DataSource pool = POSTGRES.newPool(8);
    String prefix = "graceful_";
    JdbcTrackingStore.builder(pool).tablePrefix(prefix).initializeSchema(true).build().close();
    Node a = new Node(sim, pool, prefix);
    Node b = new Node(sim, pool, prefix);

    sim.alwaysApply(Fault.latency(LATENCY));
    List<UUID> umids = new ArrayList<>();
    for (int i = 0; i < OUTCOMES; i++) {
      SentOtp otp = new SentOtp("acme-otp", UUID.randomUUID(), Instant.now());
      assertThat(a.tracker.sent(otp)).isEqualTo(ConversionTracker.Signal.APPLIED);
      assertThat(a.tracker.verified(otp, Instant.now()))
          .isEqualTo(ConversionTracker.Signal.APPLIED);
      umids.add(otp.umid());
    }
    sim.awaitAttempts(umids.get(0), 1, Duration.ofSeconds(10)); // A is delivering

    // Graceful stop of A: stop deciding, drain the reporter (> one lease), then close the store.
    a.tracker.close();
    a.reporter.close();
    assertThat(a.reporter.stats().delivered()).isEqualTo(OUTCOMES);
    a.store.close();

    assertThat(CrashRecoveryIT.count(pool, prefix, "delivery = 'DONE'")).isEqualTo(OUTCOMES);
    // B scanned every 500 ms throughout: a scan after A's close finds nothing to take over either
    assertThat(b.reporter.flush(Duration.ofSeconds(10))).isTrue();
    for (UUID umid : umids) {
      assertThat(sim.receivedFeedback(umid)).as("deliveries of %s", umid).hasSize(1);
    }
    sim.assertNoDuplicates();
    assertThat(b.store.stats().redelivered()).as("outcomes node B took over").isZero();
  }

  @Test
  void leaseShorterThanThreeScanIntervals_isRefusedNamingTheProperty() throws Exception {
    DataSource pool = POSTGRES.newPool(2);
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(pool)
            .tablePrefix("short_lease_")
            .initializeSchema(true)
            .lease(Duration.ofMillis(100))
            .build();
    open.add(store);
    FeedbackSettings settings = settings(extension.simulator());
    FeedbackReporter reporter = FeedbackReporter.create(settings);
    open.add(reporter);
    assertThatThrownBy(() -> ConversionTracker.builder(settings, reporter).store(store).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sms.feedback.jdbc.lease must be at least 3 times the tracker's scan interval (1s),"
                + " 3s: 100ms");
  }

  static FeedbackSettings settings(SmsApiSimulator sim) {
    return FeedbackSettings.builder()
        .apiKey(KEY)
        .subAccountId("acme-otp")
        .baseUrl(sim.baseUri())
        .maxConcurrentRequests(1)
        .responseTimeout(Duration.ofSeconds(10))
        .shutdownTimeout(Duration.ofSeconds(20))
        .build();
  }

  /** A node: store, reporter, tracker, each closed by the test (or after it). */
  final class Node {
    final JdbcTrackingStore store;
    final FeedbackReporter reporter;
    final ConversionTracker tracker;

    Node(SmsApiSimulator sim, DataSource pool, String prefix) {
      FeedbackSettings settings = settings(sim);
      store =
          JdbcTrackingStore.builder(pool).outbox(true).tablePrefix(prefix).lease(LEASE).build();
      reporter = FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
      tracker =
          ConversionTracker.builder(settings, reporter).store(store).scanInterval(SCAN).build();
      open.add(store);
      open.add(reporter);
      open.add(tracker);
    }
  }

}
