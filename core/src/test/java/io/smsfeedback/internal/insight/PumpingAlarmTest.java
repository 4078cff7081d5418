package io.smsfeedback.internal.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.data.Offset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PumpingAlarmTest {

  /** Honest sends per minute (mean over the day) per calling code. */
  private static final Map<String, Double> HONEST =
      Map.of("65", 3.0, "44", 2.0, "1", 1.0, "91", 0.1);

  private static final Duration DAY = Duration.ofHours(24);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(30);

  private final List<AlarmEvent> raised = new CopyOnWriteArrayList<>();
  private final List<AlarmEvent> cleared = new CopyOnWriteArrayList<>();
  private final AlarmListener recorder =
      new AlarmListener() {
        @Override
        public void raised(AlarmEvent event) {
          raised.add(event);
        }

        @Override
        public void cleared(AlarmEvent event) {
          cleared.add(event);
        }
      };

  /** A burst of bot sends: from {@code start} for {@code length}, {@code perMinute} to one code. */
  private record Burst(String callingCode, Duration start, Duration length, double perMinute) {
    boolean covers(Duration elapsed) {
      return elapsed.compareTo(start) >= 0 && elapsed.compareTo(start.plus(length)) < 0;
    }
  }

  /**
   * Runs a day of honest traffic (plus {@code bursts} of bots, plus {@code campaigns}: honest
   * surges at 5x the normal rate), checking the alarm every 30 s.
   */
  private void simulate(PumpingAlarm.Builder alarmSettings, List<Burst> bots, List<Burst> campaigns,
      SimulatedTraffic traffic) {
    PumpingAlarm alarm = alarmSettings.listener(recorder).build();
    Instant nextCheck = traffic.now().plus(CHECK_EVERY);
    while (traffic.now().isBefore(SimulatedTraffic.T0.plus(DAY))) {
      Duration elapsed = Duration.between(SimulatedTraffic.T0, traffic.now());
      HONEST.forEach((code, perMinute) -> {
        double rate = SimulatedTraffic.diurnal(perMinute, traffic.now());
        for (Burst c : campaigns) {
          if (c.callingCode().equals(code) && c.covers(elapsed)) {
            rate *= c.perMinute();
          }
        }
        for (int i = traffic.sendsInTick(rate); i > 0; i--) {
          traffic.honestUser(code);
        }
      });
      for (Burst b : bots) {
        if (b.covers(elapsed)) {
          for (int i = traffic.sendsInTick(b.perMinute()); i > 0; i--) {
            traffic.bot(b.callingCode());
          }
        }
      }
      traffic.tick();
      if (!traffic.now().isBefore(nextCheck)) {
        alarm.check();
        nextCheck = nextCheck.plus(CHECK_EVERY);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {17, 18, 19, 20, 21, 22})
  void honestTrafficWithTyposResendsAbandonmentAndACampaignRaisesNoAlarmAllDay(long seed) {
    try (SimulatedTraffic traffic = new SimulatedTraffic(seed)) {
      simulate(
          PumpingAlarm.builder(traffic.stats),
          List.of(),
          List.of(new Burst("65", Duration.ofHours(18), Duration.ofMinutes(20), 5.0)),
          traffic);
      assertThat(raised).isEmpty();
      var day = traffic.stats.snapshot().window(DAY);
      // the day really had typos, resends and abandonment, at an honest conversion
      assertThat(traffic.tracker.stats().wrongCodes()).isGreaterThan(100);
      assertThat(day.total().superseded()).isGreaterThan(100);
      assertThat(day.total().abandoned()).isGreaterThan(100);
      assertThat(day.total().conversionRate()).isBetween(0.6, 0.8);
      assertThat(day.total().sent()).isGreaterThan(5000);
    }
  }

  @Test
  void aBurstToANewCountryThatNeverConvertsRaisesOneAlarmWithinTwoMinutesThatClearsAfterIt() {
    Duration start = Duration.ofHours(12);
    Duration length = Duration.ofMinutes(30);
    try (SimulatedTraffic traffic = new SimulatedTraffic(); LogCapture logs = new LogCapture()) {
      simulate(
          PumpingAlarm.builder(traffic.stats),
          List.of(new Burst("882", start, length, 30)),
          List.of(),
          traffic);
      assertThat(raised).extracting(AlarmEvent::callingCode).containsExactly("882");
      AlarmEvent alarm = raised.get(0);
      assertThat(Duration.between(SimulatedTraffic.T0.plus(start), alarm.at()))
          .isLessThanOrEqualTo(Duration.ofMinutes(2));
      assertThat(alarm.reason()).isEqualTo(AlarmEvent.Reason.SEND_SURGE);
      assertThat(logs.lines("possible SMS pumping to calling code +882")).isEqualTo(1);
      assertThat(cleared).extracting(AlarmEvent::callingCode).containsExactly("882");
      Instant end = SimulatedTraffic.T0.plus(start).plus(length);
      assertThat(cleared.get(0).at()).isAfter(end);
      assertThat(Duration.between(end, cleared.get(0).at()))
          .isLessThanOrEqualTo(Duration.ofMinutes(30));
    }
  }

  @Test
  void aBurstHiddenInAnHonestCountryRaisesItsAlarmOnlyThere() {
    Duration start = Duration.ofHours(10);
    try (SimulatedTraffic traffic = new SimulatedTraffic()) {
      simulate(
          PumpingAlarm.builder(traffic.stats),
          List.of(new Burst("44", start, Duration.ofMinutes(20), 20)),
          List.of(),
          traffic);
      assertThat(raised).extracting(AlarmEvent::callingCode).containsExactly("44");
      assertThat(Duration.between(SimulatedTraffic.T0.plus(start), raised.get(0).at()))
          .isLessThanOrEqualTo(Duration.ofMinutes(5));
      assertThat(cleared).hasSize(1);
    }
  }

  @Test
  void aSlowLeakThatNeverSurgesIsCaughtByTheConversionDrop() {
    // bots at about the country's own rate: no surge, but half its outcomes never convert
    Duration start = Duration.ofHours(8);
    try (SimulatedTraffic traffic = new SimulatedTraffic()) {
      simulate(
          PumpingAlarm.builder(traffic.stats),
          List.of(new Burst("65", start, Duration.ofHours(2), 12)),
          List.of(),
          traffic);
      assertThat(raised).extracting(AlarmEvent::callingCode).containsExactly("65");
      assertThat(raised.get(0).reason()).isEqualTo(AlarmEvent.Reason.CONVERSION_DROP);
      assertThat(Duration.between(SimulatedTraffic.T0.plus(start), raised.get(0).at()))
          .isLessThanOrEqualTo(Duration.ofMinutes(20));
      // one episode for the whole leak: it does not flap, and clears only once the leak stops
      Instant end = SimulatedTraffic.T0.plus(start).plus(Duration.ofHours(2));
      assertThat(cleared).hasSize(1);
      assertThat(cleared.get(0).at()).isAfter(end);
    }
  }

  @Test
  void aThrowingListenerDoesNotStopTheAlarm() {
    try (SimulatedTraffic traffic = new SimulatedTraffic()) {
      PumpingAlarm alarm =
          PumpingAlarm.builder(traffic.stats)
              .listener(
                  new AlarmListener() {
                    @Override
                    public void raised(AlarmEvent event) {
                      throw new IllegalStateException("listener bug");
                    }
                  })
              .build();
      for (int i = 0; i < 60; i++) {
        traffic.bot("882");
      }
      traffic.tick();
      alarm.check();
      assertThat(alarm.active()).extracting(AlarmEvent::callingCode).containsExactly("882");
      assertThatThrownBy(() -> alarm.active().clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void wilsonUpperBoundMatchesTheFormula() {
    assertThat(Wilson.upper(0, 20)).isCloseTo(0.1611, Offset.offset(1e-3));
    assertThat(Wilson.upper(10, 20)).isCloseTo(0.7007, Offset.offset(1e-3));
    assertThat(Wilson.upper(20, 20)).isCloseTo(1.0, Offset.offset(1e-9));
  }

  @Test
  void builderRefusesThresholdsOutOfRangeNamingTheSetting() {
    try (SimulatedTraffic traffic = new SimulatedTraffic()) {
      PumpingAlarm.Builder b = PumpingAlarm.builder(traffic.stats);
      assertThatThrownBy(() -> b.minSample(4)).hasMessage("minSample must be in [5, 1000000]: 4");
      assertThatThrownBy(() -> b.dropFraction(1.0)).hasMessage("dropFraction must be in (0, 1): 1.0");
      assertThatThrownBy(() -> b.surgeFactor(1.0))
          .hasMessage("surgeFactor must be in (1, 1000]: 1.0");
      assertThatThrownBy(() -> b.clearAfter(Duration.ofSeconds(5)))
          .hasMessage("clearAfter must be in [1m, 24h]: PT5S");
    }
  }
}
