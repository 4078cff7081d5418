package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.Feedback;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.FakeTransport.Send;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random fault schedules against the reporter on a manual clock and a fake transport: after every
 * step the accounting identity holds, no umid is delivered twice, and nothing is attempted after
 * (or in a way that could outlast) its deadline.
 *
 * <p>Schedules come from a seeded {@link SplittableRandom}: a failure names its seed, and the same
 * seed replays the same setup and schedule. (This was a jqwik property until 2026-11-28; see
 * RATIONALE.md for why it is plain JUnit now.)
 */
class ReporterFaultSchedulePropertyTest {

  sealed interface Step permits Report, Advance, Answer, Close {}

  /** Report a fresh feedback with this much time left, or repeat an earlier umid. */
  record Report(Duration timeLeft, boolean repeatEarlier) implements Step {}

  record Advance(Duration by) implements Step {}

  /** Answer the oldest pending attempt. */
  record Answer(TransportResult result) implements Step {}

  record Close() implements Step {}

  /** {@code linger}: zero, or the time a drain waits before looking for more reports. */
  record Setup(
      int capacity, int concurrency, double jitter, Duration shutdownTimeout, Duration linger) {}

  private static final Duration[] LINGERS = {Duration.ZERO, Duration.ofMillis(10), Duration.ofSeconds(1)};

  /** Number of random schedules; each is reproducible from its seed (printed in the test name). */
  private static final int SCHEDULES = 300;

  private static final int[] STATUSES = {200, 202, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504};
  private static final String[] IO_ERRORS = {
    "ConnectException", "SocketTimeoutException", "ConnectionClosedException"
  };

  static LongStream seeds() {
    return new SplittableRandom(0x5EEDL).longs(SCHEDULES);
  }

  static Setup setup(SplittableRandom random) {
    return new Setup(
        random.nextInt(1, 7),
        random.nextInt(1, 4),
        random.nextInt(0, 1_000) / 1_000.0,
        Duration.ofSeconds(random.nextInt(0, 21)),
        LINGERS[random.nextInt(LINGERS.length)]);
  }

  static List<Step> schedule(SplittableRandom random) {
    int size = random.nextInt(1, 61);
    List<Step> steps = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int pick = random.nextInt(14); // weights 4 report : 4 advance : 5 answer : 1 close
      if (pick < 4) {
        steps.add(
            new Report(
                Duration.ofMillis(random.nextLong(-5_000, 900_001)), random.nextInt(10) == 0));
      } else if (pick < 8) {
        long[] bounds = {2_000, 120_000, 600_000};
        steps.add(new Advance(Duration.ofMillis(random.nextLong(0, bounds[random.nextInt(3)] + 1))));
      } else if (pick < 13) {
        steps.add(new Answer(result(random)));
      } else {
        steps.add(new Close());
      }
    }
    return steps;
  }

  private static TransportResult result(SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> TransportResult.ofStatus(STATUSES[random.nextInt(STATUSES.length)]);
      case 1 -> TransportResult.ioError(IO_ERRORS[random.nextInt(IO_ERRORS.length)]);
      default ->
          TransportResult.ofStatus(
              random.nextBoolean() ? 429 : 503,
              Duration.ofSeconds(random.nextLong(0, 1_201)),
              null,
              null,
              null);
    };
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomFaults_neverBreakAccountingDeadlinesOrOnceOnlyDelivery(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Setup setup = setup(random);
    List<Step> schedule = schedule(random);
    ReporterHarness h =
        ReporterHarness.lingering(
            setup.linger(),
            b ->
                b.queueCapacity(setup.capacity())
                    .maxConcurrentRequests(setup.concurrency())
                    .shutdownTimeout(setup.shutdownTimeout()));
    h.jitter = setup.jitter();
    List<Feedback> reported = new ArrayList<>();
    Map<Send, TransportResult> answers = new HashMap<>();

    for (Step step : schedule) {
      if (step instanceof Report r) {
        Feedback f =
            r.repeatEarlier() && !reported.isEmpty()
                ? reported.get(reported.size() / 2)
                : h.feedbackWithTimeLeft(r.timeLeft());
        reported.add(f);
        h.reporter.report(f);
        h.step();
      } else if (step instanceof Advance a) {
        h.advance(a.by());
      } else if (step instanceof Answer a) {
        List<Send> pending = h.transport.pending();
        if (!pending.isEmpty()) {
          answers.put(pending.get(0), a.result());
          pending.get(0).future().complete(a.result());
          h.step();
        }
      } else {
        h.reporter.closeAsync();
        h.step();
      }
      checkInvariants(h, answers);
    }

    h.reporter.closeAsync();
    h.advance(setup.shutdownTimeout().plusSeconds(1));
    ReporterStats end = checkInvariants(h, answers);
    assertThat(end.queued() + end.inFlight()).as("closed: nothing left").isZero();
    assertThat(h.transport.closed()).isTrue();
    int sendsAtClose = h.transport.sendCount();
    h.reporter.report(h.feedback());
    h.advance(Duration.ofMinutes(20));
    assertThat(h.transport.sendCount()).as("nothing sent after close").isEqualTo(sendsAtClose);
    checkInvariants(h, answers);
  }

  private static ReporterStats checkInvariants(ReporterHarness h, Map<Send, TransportResult> answers) {
    ReporterStats s = h.balanced();

    Set<UUID> deliveredUmids = new HashSet<>();
    Set<UUID> inFlightUmids = new HashSet<>();
    for (Send send : h.transport.sends()) {
      UUID umid = send.feedback().umid();
      var deadline = send.feedback().deadline(h.settings.validity());
      assertThat(send.at()).as("attempt started before the deadline").isBefore(deadline);
      assertThat(send.at().plus(send.timeout()))
          .as("attempt cannot outlast the deadline")
          .isBeforeOrEqualTo(deadline);
      assertThat(deliveredUmids).as("never sent again once delivered").doesNotContain(umid);
      TransportResult answer = answers.get(send);
      if (answer != null && answer.isDelivered()) {
        deliveredUmids.add(umid);
      }
      if (send.pending()) {
        assertThat(inFlightUmids.add(umid)).as("one attempt at a time per umid").isTrue();
      }
    }
    assertThat(s.inFlight()).isEqualTo(h.transport.pending().size());
    assertThat(s.delivered()).isEqualTo(deliveredUmids.size());

    Map<UUID, Long> delivered = new HashMap<>();
    for (DeliveryEvent e : h.listener.terminals(DeliveryState.DELIVERED)) {
      delivered.merge(e.feedback().umid(), 1L, Long::sum);
    }
    assertThat(delivered.values()).as("delivered at most once per umid").allMatch(n -> n == 1);
    assertThat(s.attempts()).isEqualTo(h.transport.sendCount());
    return s;
  }
}
