package io.smsfeedback.internal.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.AlarmEpisode;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.ConversionSeries;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link ConversionStats#series} bucket by bucket, and {@link PumpingAlarm#episodes()}. */
class SeriesAndEpisodesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock(T0);
  private final ConversionStats stats = ConversionStats.builder().clock(clock).build();

  private void otps(String callingCode, int n, TrackingState outcome) {
    for (int i = 0; i < n; i++) {
      SentOtp otp = new SentOtp("sub-x", UUID.randomUUID(), clock.instant());
      stats.destination(otp.umid(), callingCode);
      stats.tracked(otp);
      if (outcome != TrackingState.PENDING) {
        stats.decided(otp, outcome, clock.instant());
      }
    }
  }

  @Test
  void series_putsEachEventInItsBucket_oldestFirst_totalFirst() {
    otps("65", 3, TrackingState.VERIFIED); // 10:00, bucket 11 of the hour's 12 (5 min each)
    clock.advance(Duration.ofMinutes(12));
    otps("44", 2, TrackingState.ABANDONED);
    otps("65", 1, TrackingState.PENDING);

    ConversionSeries s = stats.series(HOUR);
    assertThat(s.bucket()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.starts()).hasSize(12);
    assertThat(s.starts().get(11)).isEqualTo(Instant.parse("2026-12-01T10:10:00Z"));
    assertThat(s.starts().get(0)).isEqualTo(Instant.parse("2026-12-01T09:15:00Z"));
    assertThat(s.rows()).extracting(ConversionSeries.Row::callingCode).containsExactly("total", "65", "44");

    ConversionSeries.Row sg = s.row("65");
    assertThat(sg.buckets()).hasSize(12);
    CountryStats first = sg.buckets().get(9); // 10:00 to 10:05
    assertThat(first.sent()).isEqualTo(3);
    assertThat(first.successes()).isEqualTo(3);
    assertThat(sg.buckets().get(11).sent()).isEqualTo(1);
    assertThat(sg.buckets().get(10).sent()).isZero();
    assertThat(s.row("44").buckets().get(11).abandoned()).isEqualTo(2);
    assertThat(s.row("total").sent()).isEqualTo(6);
    assertThat(s.row("1")).isNull();
  }

  @Test
  void series_forgetsWhatLeftTheWindow() {
    otps("65", 3, TrackingState.VERIFIED);
    clock.advance(Duration.ofMinutes(61));
    ConversionSeries s = stats.series(HOUR);
    assertThat(s.rows()).extracting(ConversionSeries.Row::callingCode).containsExactly("total");
    assertThat(s.row("total").sent()).isZero();
    assertThat(stats.series(Duration.ofHours(24)).row("65").sent()).isEqualTo(3);
  }

  @Test
  void series_takesOnlyTheStatisticsWindows() {
    assertThatThrownBy(() -> stats.series(Duration.ofMinutes(7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT7M");
  }

  @Test
  void episodes_recordRaisedAndCleared() {
    PumpingAlarm alarm = PumpingAlarm.builder(stats).minSample(5).build();
    otps("7", 30, TrackingState.ABANDONED);
    alarm.check();
    assertThat(alarm.episodes())
        .containsExactly(new AlarmEpisode("7", AlarmEvent.Reason.CONVERSION_DROP, T0, null));
    assertThat(alarm.episodes().get(0).active()).isTrue();

    clock.advance(Duration.ofMinutes(11));
    alarm.check();
    assertThat(alarm.active()).isEmpty();
    assertThat(alarm.episodes())
        .containsExactly(
            new AlarmEpisode(
                "7", AlarmEvent.Reason.CONVERSION_DROP, T0, T0.plus(Duration.ofMinutes(11))));
  }

  @Test
  void episodes_keepTheLast32Ended() {
    PumpingAlarm alarm = PumpingAlarm.builder(stats).minSample(5).build();
    for (int i = 0; i < 40; i++) {
      otps("65", 60, TrackingState.VERIFIED); // keeps the baseline of every country together up
      otps(String.valueOf(200 + i), 30, TrackingState.ABANDONED); // a fresh country each time
      alarm.check();
      clock.advance(Duration.ofMinutes(11));
      alarm.check();
      clock.advance(Duration.ofMinutes(11));
    }
    assertThat(alarm.episodes()).hasSize(PumpingAlarm.EPISODES_KEPT).allMatch(e -> !e.active());
    assertThat(alarm.episodes().get(0).callingCode()).isEqualTo("208");
    assertThat(alarm.episodes().get(31).raisedAt()).isEqualTo(T0.plus(Duration.ofMinutes(22 * 39)));
  }

  @Test
  void sinceStart_neverForgets_perRowAndTotal() {
    otps("65", 3, TrackingState.VERIFIED);
    otps("65", 2, TrackingState.SUPERSEDED);
    otps("44", 1, TrackingState.ABANDONED);
    clock.advance(Duration.ofDays(3)); // every window is empty by now
    assertThat(stats.snapshot().window(Duration.ofHours(24)).total().sent()).isZero();
    assertThat(stats.sinceStart())
        .extracting(CountryStats::callingCode, CountryStats::sent, CountryStats::successes,
            CountryStats::failures)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("total", 6L, 3L, 3L),
            org.assertj.core.groups.Tuple.tuple("65", 5L, 3L, 2L),
            org.assertj.core.groups.Tuple.tuple("44", 1L, 0L, 1L));
    assertThat(stats.sinceStart().get(0).callingCode()).isEqualTo("total");
  }
}
