package io.smsfeedback.testing;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link FeedbackTransport} whose answers the test gives: every {@link #send} is recorded with
 * the clock's time and the timeout, and returns a future the test completes ({@link
 * #complete(int, TransportResult)}), unless an {@link #autoAnswer} is set. Thread-safe.
 */
public final class FakeTransport implements FeedbackTransport {

  /** One recorded call. */
  public record Send(Feedback feedback, Duration timeout, Instant at, ControlledFuture future) {

    public boolean pending() {
      return !future.isDone();
    }
  }

  /**
   * The future a send returns. It remembers a cancel request; a stubborn one (see {@link
   * #ignoreCancel}) stays pending when cancelled, like a transport that answers late anyway.
   */
  public static final class ControlledFuture extends CompletableFuture<TransportResult> {
    private final boolean stubborn;
    private volatile boolean cancelRequested;

    public ControlledFuture() {
      this(false);
    }

    ControlledFuture(boolean stubborn) {
      this.stubborn = stubborn;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelRequested = true;
      return !stubborn && super.cancel(mayInterruptIfRunning);
    }

    public boolean cancelRequested() {
      return cancelRequested;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  private final Clock clock;
  private final List<Send> sends = new ArrayList<>();
  private Function<Feedback, TransportResult> autoAnswer;
  private boolean closed;
  private RuntimeException throwOnSend;
  private boolean ignoreCancel;
  private Runnable duringNextSend;

  public FakeTransport(Clock clock) {
    this.clock = clock;
  }

  /** Answer every later send at once with {@code answer}; null to go back to manual answers. */
  public synchronized FakeTransport autoAnswer(Function<Feedback, TransportResult> answer) {
    this.autoAnswer = answer;
    return this;
  }

  /** Make later sends throw {@code e} (a broken transport); null to stop. */
  public synchronized FakeTransport throwOnSend(RuntimeException e) {
    this.throwOnSend = e;
    return this;
  }

  /**
   * Runs {@code action} inside the next send, on the thread that sends (the reporter's dispatcher,
   * in the middle of a drain), outside this transport's lock.
   */
  public synchronized FakeTransport duringNextSend(Runnable action) {
    this.duringNextSend = action;
    return this;
  }

  /** Make later sends return futures that stay pending when cancelled. */
  public synchronized FakeTransport ignoreCancel(boolean ignore) {
    this.ignoreCancel = ignore;
    return this;
  }

  @Override
  public CompletableFuture<TransportResult> send(Feedback feedback, Duration timeout) {
    Runnable action;
    synchronized (this) {
      action = duringNextSend;
      duringNextSend = null;
    }
    if (action != null) {
      action.run();
    }
    return record(feedback, timeout);
  }

  private synchronized CompletableFuture<TransportResult> record(Feedback feedback, Duration timeout) {
    if (throwOnSend != null) {
      throw throwOnSend;
    }
    ControlledFuture f = new ControlledFuture(ignoreCancel);
    sends.add(new Send(feedback, timeout, clock.instant(), f));
    if (autoAnswer != null) {
      f.complete(autoAnswer.apply(feedback));
    }
    return f;
  }

  public synchronized List<Send> sends() {
    return List.copyOf(sends);
  }

  public synchronized int sendCount() {
    return sends.size();
  }

  public synchronized Send send(int index) {
    return sends.get(index);
  }

  public synchronized Send last() {
    return sends.get(sends.size() - 1);
  }

  /** The latest send of {@code feedback}. */
  public synchronized Send lastFor(Feedback feedback) {
    for (int i = sends.size() - 1; i >= 0; i--) {
      if (sends.get(i).feedback().equals(feedback)) {
        return sends.get(i);
      }
    }
    throw new AssertionError("never sent: " + feedback);
  }

  /** Sends not answered (nor cancelled) yet, oldest first. */
  public synchronized List<Send> pending() {
    return sends.stream().filter(Send::pending).toList();
  }

  /** Completes send number {@code index} (0-based) with {@code result}. */
  public void complete(int index, TransportResult result) {
    send(index).future().complete(result);
  }

  /** Completes the oldest pending send with {@code result}. */
  public void completeOldest(TransportResult result) {
    pending().get(0).future().complete(result);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public String toString() {
    return "FakeTransport";
  }
}
