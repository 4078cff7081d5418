package io.smsfeedback.benchmarks.support;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/** An in-process transport: every attempt is answered 200 at once, on the dispatcher thread. */
public final class InstantTransport implements FeedbackTransport {

  private static final CompletableFuture<TransportResult> DELIVERED =
      CompletableFuture.completedFuture(TransportResult.delivered(200));

  private final LongAdder sends = new LongAdder();

  @Override
  public CompletableFuture<TransportResult> send(Feedback feedback, Duration timeout) {
    sends.increment();
    return DELIVERED;
  }

  public long sends() {
    return sends.sum();
  }

  @Override
  public void close() {}
}
