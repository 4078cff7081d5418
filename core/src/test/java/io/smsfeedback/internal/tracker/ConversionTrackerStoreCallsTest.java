package io.smsfeedback.internal.tracker;

import static io.smsfeedback.ConversionTracker.Signal.APPLIED;
import static io.smsfeedback.ConversionTracker.Signal.DUPLICATE;
import static io.smsfeedback.internal.tracker.TrackerFixture.otp;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.SentOtp;
import io.smsfeedback.store.TrackingStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The store calls a signal costs: for a SQL store, each is a statement and a round trip. */
class ConversionTrackerStoreCallsTest {

  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** The in-memory store, recording the name of every call the tracker makes. */
  private final TrackingStore store = recording(TrackingStore.inMemory());

  @Test
  void verifiedAndSuperseded_decideAPendingUmid_inOneStoreCall() {
    try (TrackerFixture f = new TrackerFixture(s -> s, store)) {
      SentOtp verified = otp(f.now());
      SentOtp superseded = otp(f.now());
      f.tracker.sent(verified);
      f.tracker.sent(superseded);
      calls.clear();

      assertThat(f.tracker.verified(verified, f.now())).isEqualTo(APPLIED);
      assertThat(f.tracker.superseded(superseded, f.now())).isEqualTo(APPLIED);

      assertThat(calls).containsExactly("finishIfPending", "finishIfPending");
      assertThat(f.reporter.received()).hasSize(2);
    }
  }

  @Test
  void aDuplicate_isToldApartByAFind_afterTheOneStepDecisionFoundNothingPending() {
    try (TrackerFixture f = new TrackerFixture(s -> s, store)) {
      SentOtp otp = otp(f.now());
      f.tracker.sent(otp);
      f.tracker.verified(otp, f.now());
      calls.clear();

      assertThat(f.tracker.verified(otp, f.now())).isEqualTo(DUPLICATE);

      assertThat(calls).containsExactly("finishIfPending", "find");
      assertThat(f.reporter.received()).hasSize(1);
    }
  }

  private TrackingStore recording(TrackingStore delegate) {
    return (TrackingStore)
        Proxy.newProxyInstance(
            TrackingStore.class.getClassLoader(),
            new Class<?>[] {TrackingStore.class},
            (proxy, method, args) -> {
              if (!method.getName().startsWith("count")) {
                calls.add(method.getName());
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
