package io.smsfeedback.servlet.fakes;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tracker that records its calls as text: {@code sent <umid> <sub> <sentAt>}, {@code verified <umid> <at>}. */
public final class RecordingTracker implements ConversionTracker {

  public final List<String> calls = new CopyOnWriteArrayList<>();
  public volatile RuntimeException failWith;
  public volatile Signal answer = Signal.APPLIED;
  public volatile boolean closed;

  private Signal record(String call) {
    calls.add(call);
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
    return answer;
  }

  @Override
  public Signal sent(SentOtp otp) {
    return record("sent " + otp.umid() + " " + otp.subAccountId() + " " + otp.sentAt());
  }

  @Override
  public Signal superseded(SentOtp replaced, Instant at) {
    return record("superseded " + replaced.umid() + " " + at);
  }

  @Override
  public Signal verified(SentOtp otp, Instant at) {
    return record("verified " + otp.umid() + " " + at);
  }

  @Override
  public Signal wrongCode(SentOtp otp, Instant at) {
    return record("wrongCode " + otp.umid() + " " + at);
  }

  @Override
  public TrackerStats stats() {
    return new TrackerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Override
  public void close() {
    closed = true;
  }
}
