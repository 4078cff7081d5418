package io.smsfeedback.internal.tracker;

import static io.smsfeedback.ConversionTracker.Signal.APPLIED;
import static io.smsfeedback.ConversionTracker.Signal.OVER_CAPACITY;
import static io.smsfeedback.internal.tracker.TrackerFixture.T0;
import static io.smsfeedback.internal.tracker.TrackerFixture.otp;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code max-tracked}: finished umids are evicted first, oldest first; then sends are refused. */
class ConversionTrackerCapacityTest {

  @Test
  void atTheBound_finishedUmidsAreEvictedOldestSentFirst_thenNewSendsAreOverCapacity() {
    try (TrackerFixture f = new TrackerFixture(s -> s.maxTracked(3))) {
      SentOtp a = otp(T0);
      SentOtp b = otp(T0.plusSeconds(1));
      SentOtp c = otp(T0.plusSeconds(2));
      SentOtp d = otp(T0.plusSeconds(3));
      SentOtp e = otp(T0.plusSeconds(4));
      SentOtp g = otp(T0.plusSeconds(5));
      f.advanceTo(Duration.ofSeconds(10));
      assertThat(f.tracker.sent(a)).isEqualTo(APPLIED);
      assertThat(f.tracker.sent(b)).isEqualTo(APPLIED);
      assertThat(f.tracker.sent(c)).isEqualTo(APPLIED);

      assertThat(f.tracker.sent(d)).as("all three pending").isEqualTo(OVER_CAPACITY);

      // b finishes first, but a was sent earlier: a is the oldest finished one
      assertThat(f.tracker.verified(b, f.now())).isEqualTo(APPLIED);
      assertThat(f.tracker.superseded(a, f.now())).isEqualTo(APPLIED);
      assertThat(f.tracker.sent(d)).isEqualTo(APPLIED);
      assertThat(f.store.find(a.umid())).as("a evicted").isEmpty();
      assertThat(f.store.find(b.umid())).as("b kept").isPresent();

      assertThat(f.tracker.sent(e)).isEqualTo(APPLIED);
      assertThat(f.store.find(b.umid())).as("b evicted").isEmpty();

      assertThat(f.tracker.sent(g)).as("c, d, e pending").isEqualTo(OVER_CAPACITY);
      assertThat(f.tracker.verified(g, f.now())).as("adopting counts too").isEqualTo(OVER_CAPACITY);
      assertThat(f.store.find(g.umid())).isEmpty();

      TrackerStats stats = f.tracker.stats();
      assertThat(stats.tracked()).isEqualTo(3);
      assertThat(stats.pending()).isEqualTo(3);
      assertThat(stats.overCapacity()).isEqualTo(3);
      assertThat(stats.outcomes()).isEqualTo(2);
      assertThat(f.reporter.received()).extracting(Feedback::umid).containsExactly(b.umid(), a.umid());
    }
  }

  @Test
  void atTheBound_pendingUmidsAreNeverEvicted_andStillGetTheirOutcome() {
    try (TrackerFixture f = new TrackerFixture(s -> s.maxTracked(2))) {
      SentOtp a = otp(T0);
      SentOtp b = otp(T0);
      f.tracker.sent(a);
      f.tracker.sent(b);
      for (int i = 0; i < 5; i++) {
        assertThat(f.tracker.sent(otp(T0))).isEqualTo(OVER_CAPACITY);
      }

      f.advanceTo(Duration.ofMinutes(10));

      assertThat(f.reporter.received())
          .extracting(Feedback::umid, Feedback::outcome)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(a.umid(), Outcome.FAILURE),
              org.assertj.core.groups.Tuple.tuple(b.umid(), Outcome.FAILURE));
      assertThat(f.tracker.sent(otp(f.now()))).as("room again once finished").isEqualTo(APPLIED);
    }
  }

  @Test
  void atTheBound_aFinishedUmidEvictedBeforeItsWindowEnds_isAdoptedAgainByALaterSignal() {
    try (TrackerFixture f = new TrackerFixture(s -> s.maxTracked(1))) {
      SentOtp a = otp(T0);
      SentOtp b = otp(T0);
      f.tracker.sent(a);
      f.tracker.verified(a, f.now());
      f.tracker.sent(b); // evicts a, the only finished umid
      f.tracker.verified(b, f.now());

      // Documented limit: duplicate detection only reaches as far as max-tracked. a was forgotten
      // early, so a late double submit for it is adopted as new (evicting b) and reported again.
      assertThat(f.tracker.verified(a, f.now())).isEqualTo(APPLIED);
      assertThat(f.tracker.stats().adopted()).isEqualTo(1);
      assertThat(f.reporter.received())
          .extracting(Feedback::umid)
          .containsExactly(a.umid(), b.umid(), a.umid());
    }
  }

  @Test
  void overCapacity_isLoggedAtWarnOnce_thenQuietly() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> warnings = new ArrayList<>();
    List<SentOtp> refused = List.of(otp(T0), otp(T0), otp(T0));
    try (TrackerFixture f = new TrackerFixture(s -> s.maxTracked(1))) {
      f.tracker.sent(otp(T0));
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (SentOtp otp : refused) {
        assertThat(f.tracker.sent(otp)).isEqualTo(OVER_CAPACITY);
      }
    } finally {
      System.setErr(originalErr);
    }
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
      if (line.contains("WARN") && line.contains("max-tracked")) {
        warnings.add(line);
      }
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("sms.feedback.max-tracked");
    for (SentOtp otp : refused) {
      assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(otp.umid().toString());
    }
  }
}
