package io.smsfeedback.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.ConversionTracker.Signal;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.StuckPort;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 8x8 unreachable (a loopback port that never accepts), a reporter queue of 5, 50 decided outcomes:
 * 45 are refused (queue full) and handed back to the store. Then a minute without traffic, scanned
 * every second on the tracker's manual clock: no scan claims them again while the queue is full, so
 * the claim statements and the {@code dropped} count stop growing, and each refused outcome is
 * counted once.
 */
class QueueFullIT {

  static final String KEY = "queue-full-key-0123456789abcdef";
  static final int CAPACITY = 5;
  static final int OUTCOMES = 50;

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension final Closer open = new Closer();

  @Test
  void queueFull_refusedOutcomesAreNotReclaimedInALoop_andCountedOnce() throws Exception {
    StuckPort unreachable = StuckPort.open();
    open.add(unreachable);
    AtomicInteger claims = new AtomicInteger();
    DataSource pool = countingClaims(POSTGRES.newPool(4), claims);
    ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    ManualScheduler scheduler = new ManualScheduler(clock);
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey(KEY)
            .subAccountId("acme-otp")
            .baseUrl(unreachable.baseUrl())
            .queueCapacity(CAPACITY)
            .maxConcurrentRequests(1)
            .connectTimeout(Duration.ofMinutes(1)) // the one attempt in flight hangs all along
            .shutdownTimeout(Duration.ZERO)
            .build();
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(pool)
            .outbox(true)
            .tablePrefix("queue_full_")
            .initializeSchema(true)
            .clock(clock)
            .build();
    open.add(store);
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
    open.add(reporter);
    ConversionTracker tracker =
        ConversionTracker.builder(settings, reporter)
            .store(store)
            .clock(clock)
            .scheduler(scheduler)
            .scanInterval(Duration.ofSeconds(1))
            .build();
    open.add(tracker);

    decide(tracker, clock);
    await().atMost(Duration.ofSeconds(20)).until(() -> reporter.stats().inFlight() == 1);
    for (int i = 1; i < OUTCOMES; i++) {
      decide(tracker, clock);
    }
    int refused = OUTCOMES - 1 - CAPACITY;
    assertThat(reporter.stats().droppedQueueFull()).isEqualTo(refused);
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(store.stats().released()).as("handed back to the store").isEqualTo(refused);

    // A minute without traffic, one scan a second; the store's writer keeps up between scans.
    for (int second = 0; second < 60; second++) {
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(claims.get()).as("claims of undelivered outcomes while the queue was full").isZero();
    assertThat(reporter.stats().droppedQueueFull()).as("dropped").isEqualTo(refused);
    assertThat(reporter.stats().accepted()).as("each outcome offered once").isEqualTo(OUTCOMES);
    assertThat(store.stats().redelivered()).isZero();
    assertThat(tracker.stats().errors()).isZero();
  }

  private static void decide(ConversionTracker tracker, ManualClock clock) {
    SentOtp otp = new SentOtp("acme-otp", UUID.randomUUID(), clock.instant());
    assertThat(tracker.sent(otp)).isEqualTo(Signal.APPLIED);
    assertThat(tracker.verified(otp, clock.instant())).isEqualTo(Signal.APPLIED);
  }

  /** {@code pool}, counting the statements that claim undelivered outcomes. */
  static DataSource countingClaims(DataSource pool, AtomicInteger claims) {
    return (DataSource)
        Proxy.newProxyInstance(
            QueueFullIT.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(pool, method, args);
              if (result instanceof Connection c) {
                return countingClaims(c, claims);
              }
              return result;
            });
  }

  private static Connection countingClaims(Connection connection, AtomicInteger claims) {
    return (Connection)
        Proxy.newProxyInstance(
            QueueFullIT.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("prepareStatement")
                  && args[0] instanceof String sql
                  && sql.contains("SKIP LOCKED")
                  && sql.contains("delivery_owner = ?")) {
                claims.incrementAndGet();
              }
              return invoke(connection, method, args);
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
