package io.smsfeedback.internal.insight;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testing.ManualScheduler;
import io.smsfeedback.testing.RecordingFeedbackReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

/**
 * Users and bots driving a real tracker (manual clock and scheduler) that feeds {@link
 * ConversionStats}. Honest users verify after a while, some after typos, some after a resend, some
 * give up; bots request OTPs that nobody ever types. Seeded, so every run is the same.
 */
final class SimulatedTraffic implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration TICK = Duration.ofSeconds(10);

  private record Action(Instant at, long order, Runnable run) {}

  final ManualClock clock = new ManualClock(T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingFeedbackReporter reporter = new RecordingFeedbackReporter();
  final ConversionStats stats = ConversionStats.builder().clock(clock).build();
  final ConversionTracker tracker;
  private final Random random;
  private final PriorityQueue<Action> due =
      new PriorityQueue<>(
          (a, b) -> a.at().equals(b.at()) ? Long.compare(a.order(), b.order()) : a.at().compareTo(b.at()));
  private long order;

  SimulatedTraffic() {
    this(17);
  }

  SimulatedTraffic(long seed) {
    random = new Random(seed);
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey("test-key-0123456789")
            .subAccountId("sub-default")
            .validity(Duration.ofMinutes(15))
            .abandonAfter(Duration.ofMinutes(10))
            .maxAttempts(5)
            .maxTracked(1_000_000)
            .build();
    tracker =
        ConversionTracker.builder(settings, reporter)
            .clock(clock)
            .scheduler(scheduler)
            .scanInterval(TICK)
            .listener(stats)
            .build();
  }

  Instant now() {
    return clock.instant();
  }

  /** Sends per minute of an honest country at {@code t}: its mean times a day/night cycle. */
  static double diurnal(double perMinute, Instant t) {
    double hours = Duration.between(T0, t).toSeconds() / 3600.0;
    return perMinute * (1 + 0.7 * Math.sin((hours - 6) / 24 * 2 * Math.PI));
  }

  /** Draws how many sends fall in one tick at {@code perMinute} (Poisson). */
  int sendsInTick(double perMinute) {
    double mean = perMinute * TICK.toSeconds() / 60.0;
    int k = 0;
    double p = Math.exp(-mean);
    double u = random.nextDouble();
    double cdf = p;
    while (u > cdf && k < 1000) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

  /** An honest user: verifies (sometimes after typos), resends then verifies, or gives up. */
  void honestUser(String callingCode) {
    SentOtp otp = send(callingCode);
    double fate = random.nextDouble();
    if (fate < 0.70) {
      verifyLater(otp, random.nextDouble() < 0.25 ? 1 + random.nextInt(3) : 0);
    } else if (fate < 0.82) {
      at(seconds(60, 200), () -> {
        tracker.superseded(otp, now());
        SentOtp second = send(callingCode);
        if (random.nextDouble() < 0.85) {
          verifyLater(second, random.nextInt(2));
        }
      });
    }
    // else: gives up; abandonment decides it
  }

  /** A bot's request: the OTP goes to a number nobody reads. */
  void bot(String callingCode) {
    send(callingCode);
  }

  private SentOtp send(String callingCode) {
    SentOtp otp = new SentOtp("sub-default", UUID.randomUUID(), now());
    stats.destination(otp.umid(), callingCode);
    tracker.sent(otp);
    return otp;
  }

  private void verifyLater(SentOtp otp, int typos) {
    at(seconds(10, 120), () -> {
      for (int i = 0; i < typos; i++) {
        tracker.wrongCode(otp, now());
      }
      tracker.verified(otp, now());
    });
  }

  private Duration seconds(int from, int to) {
    return Duration.ofSeconds(from + random.nextInt(to - from));
  }

  private void at(Duration later, Runnable run) {
    due.add(new Action(now().plus(later), order++, run));
  }

  /** Moves time one tick (running the tracker's scans) and the users' actions that fell due. */
  void tick() {
    scheduler.advance(TICK);
    while (!due.isEmpty() && !due.peek().at().isAfter(now())) {
      due.poll().run().run();
    }
  }

  @Override
  public void close() {
    tracker.close();
  }
}
