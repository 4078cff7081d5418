package io.smsfeedback.servlet.fakes;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tracker that records its calls as text: {@code sent <umid> <sub> <sentAt>}, {@code verified
 * <umid> <at>}.
 */
public final class RecordingTracker implements ConversionTracker {

  public final List<String> calls = new CopyOnWriteArrayList<>();

  /** Every OTP passed in, in call order. */
  public final List<SentOtp> otps = new CopyOnWriteArrayList<>();

  public volatile RuntimeException failWith;

  /**
   * Overrides the answer (by default APPLIED, and ATTEMPT_COUNTED for wrong codes, like the real
   * one).
   */
  public volatile Signal answer;

  public volatile boolean closed;

  /** Runs on close (to record the order, or to throw). */
  public volatile Runnable onClose = () -> {};

  private Signal record(String call) {
    calls.add(call);
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
    Signal a = answer;
    return a != null ? a : call.startsWith("wrongCode") ? Signal.ATTEMPT_COUNTED : Signal.APPLIED;
  }

  @Override
  public Signal sent(SentOtp otp) {
    otps.add(otp);
    return record("sent " + otp.umid() + " " + otp.subAccountId() + " " + otp.sentAt());
  }

  @Override
  public Signal superseded(SentOtp replaced, Instant at) {
    otps.add(replaced);
    return record("superseded " + replaced.umid() + " " + at);
  }

  @Override
  public Signal verified(SentOtp otp, Instant at) {
    otps.add(otp);
    return record("verified " + otp.umid() + " " + at);
  }

  @Override
  public Signal wrongCode(SentOtp otp, Instant at) {
    otps.add(otp);
    return record("wrongCode " + otp.umid() + " " + at);
  }

  @Override
  public TrackerStats stats() {
    throw new UnsupportedOperationException("the filter never reads tracker stats");
  }

  @Override
  public void close() {
    closed = true;
    onClose.run();
  }
}
