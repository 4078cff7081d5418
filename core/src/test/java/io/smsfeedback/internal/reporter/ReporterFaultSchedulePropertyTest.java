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
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fault schedules against the reporter on a manual clock and a fake transport: after every
 * step the accounting identity holds, no umid is delivered twice, and nothing is attempted after
 * (or in a way that could outlast) its deadline.
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

  @Provide
  Arbitrary<Setup> setups() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 6),
            Arbitraries.integers().between(1, 3),
            Arbitraries.doubles().between(0, 0.999).ofScale(3),
            Arbitraries.integers().between(0, 20).map(Duration::ofSeconds),
            Arbitraries.of(Duration.ZERO, Duration.ofMillis(10), Duration.ofSeconds(1)))
        .as(Setup::new);
  }

  @Provide
  Arbitrary<List<Step>> schedules() {
    Arbitrary<Step> report =
        Combinators.combine(
                Arbitraries.longs().between(-5_000, 900_000).map(Duration::ofMillis),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
            .as(Report::new);
    Arbitrary<Step> advance =
        Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2_000),
                Arbitraries.longs().between(0, 120_000),
                Arbitraries.longs().between(0, 600_000))
            .map(ms -> new Advance(Duration.ofMillis(ms)));
    Arbitrary<TransportResult> results =
        Arbitraries.oneOf(
            Arbitraries.of(200, 202, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504)
                .map(TransportResult::ofStatus),
            Arbitraries.of("ConnectException", "SocketTimeoutException", "ConnectionClosedException")
                .map(TransportResult::ioError),
            Combinators.combine(
                    Arbitraries.of(429, 503),
                    Arbitraries.longs().between(0, 1_200).map(Duration::ofSeconds))
                .as((status, ra) -> TransportResult.ofStatus(status, ra, null, null, null)));
    Arbitrary<Step> answer = results.map(Answer::new);
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, report),
            net.jqwik.api.Tuple.of(4, advance),
            net.jqwik.api.Tuple.of(5, answer),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Close())));
    return step.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void randomFaults_neverBreakAccountingDeadlinesOrOnceOnlyDelivery(
      @ForAll("setups") Setup setup, @ForAll("schedules") List<Step> schedule) {
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
