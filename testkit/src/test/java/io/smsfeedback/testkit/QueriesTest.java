package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.feedback;
import static io.smsfeedback.testkit.TestHttp.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Waiting, assertions and the summary. */
@ExtendWith(SimulatorExtension.class)
class QueriesTest {

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void awaitFeedback_returnsAsSoonAsItArrives(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    CountDownLatch waiting = new CountDownLatch(1);
    Future<ReceivedFeedback> awaited =
        executor.submit(
            () -> {
              waiting.countDown();
              return sim.awaitFeedback(umid, Duration.ofSeconds(30));
            });
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(awaited).isNotDone();

    success(sim, umid);

    // far below the 30 s timeout: woken by the arrival, not by the timeout
    ReceivedFeedback received = awaited.get(5, TimeUnit.SECONDS);
    assertThat(received.umid()).isEqualTo(umid);
    assertThat(received.outcome()).isEqualTo("success");
  }

  @Test
  void awaitFeedback_returnsAtOnceWhenAlreadyReceived(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    feedback(sim, umid, "{\"outcome\":\"failure\"}");

    assertThat(sim.awaitFeedback(umid, Duration.ZERO).outcome()).isEqualTo("failure");
  }

  @Test
  void awaitFeedback_timesOutWithAnAssertionError_namingTheAttempts(SmsApiSimulator sim)
      throws Exception {
    UUID umid = UUID.randomUUID();
    sim.enqueueStatuses(503);
    success(sim, umid);
    long start = System.nanoTime();

    assertThatThrownBy(() -> sim.awaitFeedback(umid, Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(umid.toString())
        .hasMessageContaining("503");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void awaitFeedback_ignoresRejectedAndOtherUmids(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    feedback(sim, umid, "{\"outcome\":\"SUCCESS\"}");
    success(sim, UUID.randomUUID());

    assertThatThrownBy(() -> sim.awaitFeedback(umid, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void awaitFeedbackCount_andAwaitAttempts(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    sim.enqueueStatuses(500, 500);
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < 3; i++) {
                  success(sim, umid);
                }
                success(sim, UUID.randomUUID());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            executor);

    assertThat(sim.awaitAttempts(umid, 3, Duration.ofSeconds(10))).hasSize(3);
    assertThat(sim.awaitFeedbackCount(2, Duration.ofSeconds(10))).hasSize(2);
    sender.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> sim.awaitFeedbackCount(3, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("got 2");
    assertThatThrownBy(() -> sim.awaitAttempts(umid, 4, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void assertNoDuplicates_passesWhenEachUmidWasAcceptedOnce(SmsApiSimulator sim)
      throws Exception {
    UUID a = UUID.randomUUID();
    sim.enqueueStatuses(503);
    success(sim, a); // faulted: does not count
    success(sim, a);
    feedback(sim, a, "{\"outcome\":\"bad\"}"); // rejected: does not count
    success(sim, UUID.randomUUID());

    sim.assertNoDuplicates();
    assertThat(sim.attempts(a)).isEqualTo(3);
  }

  @Test
  void assertNoDuplicates_failsWithDetails_whenAUmidIsAcceptedTwice(SmsApiSimulator sim)
      throws Exception {
    UUID umid = UUID.randomUUID();
    success(sim, umid);
    feedback(sim, umid, "{\"outcome\":\"failure\",\"timestamp\":\"2024-05-01T10:15:30.123Z\"}");

    assertThatThrownBy(sim::assertNoDuplicates)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 umid")
        .hasMessageContaining(umid + ": 2 times")
        .hasMessageContaining("success")
        .hasMessageContaining("failure timestamp=2024-05-01T10:15:30.123Z");
  }

  @Test
  void conversion_countsAcceptedOutcomes(SmsApiSimulator sim) throws Exception {
    assertThat(sim.conversion().rate()).isZero();
    for (int i = 0; i < 3; i++) {
      success(sim, UUID.randomUUID());
    }
    feedback(sim, UUID.randomUUID(), "{\"outcome\":\"failure\"}");
    feedback(sim, UUID.randomUUID(), "{\"outcome\":\"Failure\"}"); // rejected

    ConversionSummary summary = sim.conversion();
    assertThat(summary.successes()).isEqualTo(3);
    assertThat(summary.failures()).isEqualTo(1);
    assertThat(summary.total()).isEqualTo(4);
    assertThat(summary.rate()).isCloseTo(0.75, within(1e-9));
    assertThat(summary).hasToString("3 successes, 1 failures, rate 75.0%");
  }

  @Test
  void requests_listEverything_inOrder_withIncreasingSequence(SmsApiSimulator sim)
      throws Exception {
    UUID umid = UUID.randomUUID();
    sim.enqueueStatuses(429);
    success(sim, umid);
    feedback(sim, umid, "{}");
    success(sim, umid);
    TestHttp.get(sim, "/"); // the dashboard is not recorded

    assertThat(sim.requests())
        .extracting(RecordedRequest::status)
        .containsExactly(429, 400, 200);
    assertThat(sim.requests())
        .extracting(RecordedRequest::sequence)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(sim.feedbackRequests()).hasSize(3);
    assertThat(sim.receivedFeedback().get(0).sequence())
        .isEqualTo(sim.requests().get(2).sequence());
  }

  @Test
  void reset_forgetsRecordsAndFaults(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    success(sim, umid);
    TestHttp.send(
        TestHttp.json(sim.sendUri(TestHttp.SUB), "{\"destination\":\"6512345678\",\"text\":\"x\"}")
            .build());
    sim.respondAlways(503).enqueueStatuses(500);

    sim.reset();

    assertThat(sim.requests()).isEmpty();
    assertThat(sim.receivedFeedback()).isEmpty();
    assertThat(sim.attempts(umid)).isZero();
    assertThat(sim.sentMessages()).isEmpty();
    assertThat(sim.lastMessageTo("6512345678")).isEmpty();
    assertThat(sim.conversion().total()).isZero();
    assertThat(sim.pendingFaults()).isZero();
    assertThat(success(sim, umid).statusCode()).isEqualTo(200);
  }

  @Test
  void maxRecordedRequests_keepsTheNewest_butCountsStayExact() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxRecordedRequests(2).build()) {
      UUID umid = UUID.randomUUID();
      for (int i = 0; i < 4; i++) {
        success(sim, umid);
      }

      assertThat(sim.requests()).hasSize(2);
      assertThat(sim.requests().get(1).sequence()).isEqualTo(4);
      assertThat(sim.attempts(umid)).isEqualTo(4);
      assertThat(sim.receivedFeedback(umid)).hasSize(4);
    }
  }

  @Test
  void await_genericCondition(SmsApiSimulator sim) throws Exception {
    assertThat(sim.await(() -> sim.requests().size() >= 1, Duration.ofMillis(20))).isFalse();
    success(sim, UUID.randomUUID());
    assertThat(sim.await(() -> sim.requests().size() >= 1, Duration.ZERO)).isTrue();
  }
}
