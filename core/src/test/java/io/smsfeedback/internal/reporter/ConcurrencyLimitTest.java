package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.TransportResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adaptive in-flight limit alone: answers in, limit out; no reporter, no threads, no clock. */
class ConcurrencyLimitTest {

  private static final TransportResult OK = TransportResult.delivered(200);
  private static final TransportResult TOO_MANY = TransportResult.ofStatus(429);

  /** {@code n} healthy answers to attempts of the current window, each with a backlog waiting. */
  private static void healthy(ConcurrencyLimit l, int n) {
    for (int i = 0; i < n; i++) {
      l.answered(OK, l.window(), true);
    }
  }

  @Test
  void startsAtSixteen_orAtTheCeilingIfLower() {
    assertThat(new ConcurrencyLimit(512).limit()).isEqualTo(ConcurrencyLimit.BASE).isEqualTo(16);
    assertThat(new ConcurrencyLimit(4).limit()).isEqualTo(4);
  }

  @Test
  void aCeilingBelowOne_isRefused() {
    assertThatThrownBy(() -> new ConcurrencyLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void healthyAnswersWithABacklog_growTheLimitByOneEach_untilTheFirstCongestion() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 16);
    assertThat(l.limit()).isEqualTo(32); // doubled in one window's worth of answers
    healthy(l, 32);
    assertThat(l.limit()).isEqualTo(64);
  }

  @Test
  void healthyAnswersWithoutABacklog_leaveTheLimitAlone() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    for (int i = 0; i < 1000; i++) {
      l.answered(OK, l.window(), false);
    }
    assertThat(l.limit()).isEqualTo(16);
  }

  @Test
  void aRejection_isAHealthyAnswer() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    l.answered(TransportResult.ofStatus(400), l.window(), true);
    assertThat(l.limit()).isEqualTo(17);
  }

  @Test
  void serverAndIoErrors_neitherGrowNorShrinkIt() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    for (int i = 0; i < 100; i++) {
      l.answered(TransportResult.ofStatus(500), l.window(), true);
      l.answered(TransportResult.ofStatus(502), l.window(), true);
      l.answered(TransportResult.ioError("ConnectException"), l.window(), true);
    }
    assertThat(l.limit()).isEqualTo(16);
  }

  @Test
  void neverGrowsPastTheCeiling() {
    ConcurrencyLimit l = new ConcurrencyLimit(40);
    healthy(l, 10_000);
    assertThat(l.limit()).isEqualTo(40).isEqualTo(l.ceiling());
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503, 504})
  void anOverloadStatus_halvesTheLimit(int status) {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 48); // 64
    l.answered(TransportResult.ofStatus(status), l.window(), true);
    assertThat(l.limit()).isEqualTo(32);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void anOverloadStatusWithRetryAfter_leavesTheLimit_theScheduleBacksOff(int status) {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 48); // 64
    TransportResult answer = TransportResult.ofStatus(status, Duration.ofSeconds(1), null, null, null);
    l.answered(answer, l.window(), true);
    assertThat(l.limit()).isEqualTo(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"timeout", "SocketTimeoutException", "ConnectTimeoutException"})
  void aTimeout_halvesTheLimit(String error) {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 48); // 64
    l.answered(TransportResult.ioError(error), l.window(), false);
    assertThat(l.limit()).isEqualTo(32);
  }

  @Test
  void manyCongestedAnswersOfOneWindow_halveItOnce() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 48); // 64
    long window = l.window(); // 64 attempts start in this window, all answered 429
    for (int i = 0; i < 64; i++) {
      l.answered(TOO_MANY, window, true);
    }
    assertThat(l.limit()).isEqualTo(32);
    l.answered(TOO_MANY, l.window(), true); // an attempt started after the decrease: halves again
    assertThat(l.limit()).isEqualTo(16);
  }

  @Test
  void afterCongestion_itGrowsBackByOnePerWindowOfHealthyAnswers() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 48); // 64
    l.answered(TOO_MANY, l.window(), true); // 32
    healthy(l, 31);
    assertThat(l.limit()).isEqualTo(32);
    healthy(l, 1);
    assertThat(l.limit()).isEqualTo(33);
    healthy(l, 33);
    assertThat(l.limit()).isEqualTo(34);
  }

  @Test
  void neverShrinksBelowTheFloorOfSixteen() {
    ConcurrencyLimit l = new ConcurrencyLimit(512);
    healthy(l, 200);
    for (int i = 0; i < 100; i++) {
      l.answered(TOO_MANY, l.window(), true);
    }
    assertThat(l.limit()).isEqualTo(l.floor()).isEqualTo(16);
    healthy(l, 16);
    assertThat(l.limit()).isEqualTo(17); // grows back from the floor, additively
  }

  @Test
  void aCeilingOfSixteenOrLess_isAFixedLimit() {
    ConcurrencyLimit l = new ConcurrencyLimit(2);
    healthy(l, 100);
    assertThat(l.limit()).isEqualTo(2);
    l.answered(TOO_MANY, l.window(), true);
    assertThat(l.limit()).isEqualTo(2).isEqualTo(l.floor());
  }
}
