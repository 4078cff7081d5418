package io.smsfeedback.internal.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionSnapshot;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.WindowStats;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DefaultConversionStatsTest {

  private static final Duration FIVE_MIN = Duration.ofMinutes(5);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofHours(24);

  private final ManualClock clock = new ManualClock();
  private final ConversionStats stats = ConversionStats.builder().clock(clock).build();

  private SentOtp send(String callingCode) {
    SentOtp otp = new SentOtp("sub-x", UUID.randomUUID(), clock.instant());
    if (callingCode != null) {
      stats.destination(otp.umid(), callingCode);
    }
    stats.tracked(otp);
    return otp;
  }

  private void decide(SentOtp otp, TrackingState state) {
    stats.decided(otp, state, clock.instant());
  }

  @Test
  void countsSendsAndEachOutcomePerCountryAndInTotal() {
    SentOtp a = send("65");
    SentOtp b = send("65");
    SentOtp c = send("65");
    SentOtp d = send("44");
    SentOtp e = send("44");
    clock.advance(Duration.ofSeconds(20));
    decide(a, TrackingState.VERIFIED);
    decide(b, TrackingState.SUPERSEDED);
    decide(c, TrackingState.MAX_ATTEMPTS);
    decide(d, TrackingState.ABANDONED);
    decide(e, TrackingState.VERIFIED);

    WindowStats w = stats.snapshot().window(FIVE_MIN);

    assertThat(w.country("65"))
        .isEqualTo(
            new CountryStats(
                "65", 3, 1, 1, 1, 0, Duration.ofSeconds(20), Duration.ofSeconds(20)));
    assertThat(w.country("44").sent()).isEqualTo(2);
    assertThat(w.country("44").abandoned()).isEqualTo(1);
    assertThat(w.country("44").conversionRate()).isEqualTo(0.5);
    assertThat(w.total().sent()).isEqualTo(5);
    assertThat(w.total().successes()).isEqualTo(2);
    assertThat(w.total().failures()).isEqualTo(3);
    assertThat(w.countries()).extracting(CountryStats::callingCode).containsExactly("65", "44");
  }

  @Test
  void eachWindowForgetsWhatIsOlderThanItsLength() {
    send("65");
    ConversionSnapshot now = stats.snapshot();
    assertThat(now.windows()).extracting(ws -> ws.total().sent()).containsExactly(1L, 1L, 1L);

    clock.advance(FIVE_MIN.plusSeconds(1));
    assertThat(stats.snapshot().windows())
        .extracting(ws -> ws.total().sent())
        .containsExactly(0L, 1L, 1L);

    clock.advance(HOUR);
    assertThat(stats.snapshot().windows())
        .extracting(ws -> ws.total().sent())
        .containsExactly(0L, 0L, 1L);

    clock.advance(DAY);
    assertThat(stats.snapshot().windows())
        .extracting(ws -> ws.total().sent())
        .containsExactly(0L, 0L, 0L);
    assertThat(stats.snapshot().window(DAY).countries()).isEmpty();
  }

  @Test
  void aReusedBucketSlotStartsFromZero() {
    send("65");
    clock.advance(FIVE_MIN); // same slot of the 5-minute ring, one full turn later
    send("65");
    assertThat(stats.snapshot().window(FIVE_MIN).country("65").sent()).isEqualTo(1);
    assertThat(stats.snapshot().window(HOUR).country("65").sent()).isEqualTo(2);
  }

  @Test
  void percentilesOfTimeToVerifyAreTheUpperBoundsOfTheirBins() {
    for (int s = 1; s <= 100; s++) {
      SentOtp otp = send("65");
      stats.decided(otp, TrackingState.VERIFIED, otp.sentAt().plusSeconds(s));
    }
    CountryStats c = stats.snapshot().window(FIVE_MIN).country("65");
    assertThat(c.p50()).isEqualTo(Duration.ofSeconds(60)); // 50 s is in (45 s, 60 s]
    assertThat(c.p95()).isEqualTo(Duration.ofSeconds(120)); // 95 s is in (90 s, 120 s]
    assertThat(stats.snapshot().window(FIVE_MIN).country("44").p50()).isNull();
  }

  @Test
  void sendsWithoutANotedOrValidDestinationCountAsUnknown() {
    send(null);
    send("+65");
    send("6512");
    send("065");
    WindowStats w = stats.snapshot().window(FIVE_MIN);
    assertThat(w.countries()).extracting(CountryStats::callingCode).containsExactly("unknown");
    assertThat(w.country("unknown").sent()).isEqualTo(4);
  }

  @Test
  void callingCodesBeyondMaxCountriesCountAsOther() {
    ConversionStats capped = ConversionStats.builder().clock(clock).maxCountries(3).build();
    for (int code = 1; code <= 999; code++) {
      SentOtp otp = new SentOtp("sub-x", UUID.randomUUID(), clock.instant());
      capped.destination(otp.umid(), Integer.toString(code));
      capped.tracked(otp);
      capped.decided(otp, TrackingState.ABANDONED, clock.instant());
    }
    WindowStats w = capped.snapshot().window(FIVE_MIN);
    assertThat(w.countries()).hasSize(4);
    assertThat(w.country("other").sent()).isEqualTo(996);
    assertThat(w.country("other").abandoned()).isEqualTo(996);
    assertThat(w.total().sent()).isEqualTo(999);
  }

  @Test
  void destinationsBeyondTheBoundAreNotKeptAndCounted() {
    ConversionStats small =
        ConversionStats.builder().clock(clock).maxPendingDestinations(2).build();
    UUID[] umids = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
    for (UUID umid : umids) {
      small.destination(umid, "65");
      small.tracked(new SentOtp("sub-x", umid, clock.instant()));
    }
    ConversionSnapshot s = small.snapshot();
    assertThat(s.destinationsNotNoted()).isEqualTo(1);
    assertThat(s.window(FIVE_MIN).country("65").sent()).isEqualTo(2);
    assertThat(s.window(FIVE_MIN).country("unknown").sent()).isEqualTo(1);
  }

  @Test
  void staleDestinationsArePurgedWhenTheBoundIsReached() {
    ConversionStats small =
        ConversionStats.builder().clock(clock).maxPendingDestinations(1).build();
    small.destination(UUID.randomUUID(), "65"); // never decided
    clock.advance(ConversionStats.DESTINATION_MAX_AGE.plusMinutes(1));
    UUID umid = UUID.randomUUID();
    small.destination(umid, "44");
    small.tracked(new SentOtp("sub-x", umid, clock.instant()));
    assertThat(small.snapshot().window(FIVE_MIN).country("44").sent()).isEqualTo(1);
    assertThat(small.snapshot().destinationsNotNoted()).isZero();
  }

  @Test
  void anOutcomeForgetsItsDestination() {
    SentOtp otp = send("65");
    decide(otp, TrackingState.VERIFIED);
    // a second decision of the same umid (not something the tracker does) no longer knows it
    decide(otp, TrackingState.ABANDONED);
    assertThat(stats.snapshot().window(FIVE_MIN).country("unknown").abandoned()).isEqualTo(1);
  }

  @Test
  void snapshotIsImmutableAndStampedWithTheClock() {
    send("65");
    ConversionSnapshot s = stats.snapshot();
    assertThat(s.at()).isEqualTo(clock.instant());
    assertThatThrownBy(() -> s.windows().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.window(FIVE_MIN).countries().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    send("65");
    assertThat(s.window(FIVE_MIN).total().sent()).isEqualTo(1);
    assertThatThrownBy(() -> s.window(Duration.ofMinutes(7)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentRecordersLoseNoCountIncludingAcrossABucketBoundary() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String code = t % 2 == 0 ? "65" : "44";
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    SentOtp otp = send(code);
                    decide(otp, i % 2 == 0 ? TrackingState.VERIFIED : TrackingState.ABANDONED);
                  }
                  return null;
                }));
      }
      start.countDown();
      // the 5-minute window's next 30 s bucket starts while they record: its slot is cleared once
      clock.advance(Duration.ofSeconds(30));
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    WindowStats w = stats.snapshot().window(FIVE_MIN);
    long all = (long) threads * perThread;
    assertThat(w.total().sent()).isEqualTo(all);
    assertThat(w.total().successes()).isEqualTo(all / 2);
    assertThat(w.total().abandoned()).isEqualTo(all / 2);
    assertThat(w.country("65").sent() + w.country("44").sent()).isEqualTo(all);
    assertThat(w.country("unknown").sent()).isZero();
  }

  @Test
  void builderRefusesBoundsOutOfRangeNamingTheSetting() {
    assertThatThrownBy(() -> ConversionStats.builder().maxCountries(0))
        .hasMessage("maxCountries must be in [1, 300]: 0");
    assertThatThrownBy(() -> ConversionStats.builder().maxPendingDestinations(-1))
        .hasMessage("maxPendingDestinations must be in [1, 10000000]: -1");
  }

  @Test
  void theWindowsAreTheDocumentedOnes() {
    assertThat(stats.snapshot().windows())
        .extracting(WindowStats::length)
        .isEqualTo(ConversionStats.WINDOWS);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }
}
