package io.smsfeedback;

import io.smsfeedback.internal.reporter.DefaultFeedbackReporter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Delivers {@link Feedback} to 8x8's Success Feedback API asynchronously: a bounded queue, a
 * dispatcher with an in-flight limit, deadline-aware retries, exact accounting.
 *
 * <p><b>Threading.</b> All methods are thread-safe. {@link #report} never blocks and never throws
 * (also after {@link #close()}): it is an offer on a bounded queue. All I/O happens on the
 * dispatcher thread and the transport's threads; no lock is held across I/O or listener calls.
 *
 * <p><b>Delivery.</b> The backlog drains earliest deadline first ({@code otp.sentAt + validity}).
 * Retryable answers (I/O errors, 408, 429, 5xx but 501/505) are retried with exponential backoff
 * and full jitter ({@code random(0, min(max-backoff, initial-backoff * 2^n))}); a {@code
 * Retry-After} replaces the backoff for that feedback and pauses every new attempt until then. No
 * attempt starts that could not finish before the deadline: each attempt's timeout is capped by
 * the time left, and a feedback with (almost) no time left becomes {@link DeliveryState#EXPIRED}.
 *
 * <p><b>Terminal states.</b> Every accepted feedback ends exactly once as {@link
 * DeliveryState#DELIVERED}, {@link DeliveryState#REJECTED}, {@link DeliveryState#EXPIRED} or
 * {@link DeliveryState#DROPPED}; {@link #stats()} satisfies {@code accepted = delivered + rejected +
 * expired + dropped + queued + inFlight} at every moment.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops intake, delivers what it can within the settings'
 * shutdown timeout, then cancels what is still in flight and counts everything left as dropped
 * (reason shutdown), shuts down its own thread and closes the transport. It is idempotent and
 * returns within about the shutdown timeout even when 8x8 hangs.
 */
public interface FeedbackReporter extends AutoCloseable {

  /**
   * Offers a feedback for delivery. Returns {@code true} if it was queued for delivery (it will
   * reach a terminal state), {@code false} if it was refused: a duplicate of a umid already queued
   * (counted in {@code duplicates}), the queue full (counted as dropped), its deadline already
   * (nearly) passed (counted as expired), or the reporter closed (counted as dropped, reason
   * shutdown). Never blocks, never throws.
   */
  boolean report(Feedback feedback);

  /** A consistent snapshot of the counters. Cheap; safe to call from any thread. */
  ReporterStats stats();

  /**
   * Waits (in real time) until nothing is queued or in flight and the listeners have been told
   * about every terminal state so far, or the timeout passes.
   *
   * @return {@code true} if everything accepted so far reached a terminal state
   */
  boolean flush(Duration timeout);

  /**
   * Starts closing, like {@link #close()}, without waiting. Idempotent.
   *
   * @return a future completed when every accepted feedback reached its terminal state and the
   *     reporter released its threads and the transport
   */
  default CompletableFuture<Void> closeAsync() {
    close();
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Stops intake, drains within the shutdown timeout, releases threads and connections. Idempotent;
   * never throws; returns within about the shutdown timeout.
   */
  @Override
  void close();

  /** A reporter with default parts: the HttpClient 5 transport, system clock, own thread. */
  static FeedbackReporter create(FeedbackSettings settings) {
    return builder(settings).build();
  }

  /** A builder to replace parts (clock, scheduler, jitter, transport, listeners). */
  static Builder builder(FeedbackSettings settings) {
    return new Builder(settings);
  }

  /** Builds a {@link FeedbackReporter}. Not thread-safe. */
  final class Builder {
    private final FeedbackSettings settings;
    private Clock clock = Clock.systemUTC();
    private @Nullable ScheduledExecutorService scheduler;
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
    private @Nullable FeedbackTransport transport;
    private final List<FeedbackListener> listeners = new ArrayList<>();

    private Builder(FeedbackSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The clock for deadlines, backoff and {@code Retry-After}. Default: the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The dispatcher: runs every state change, timer and transport call. The reporter does not
     * shut a given scheduler down. Its tasks must run one at a time or be safe to run concurrently
     * (they are). Default: one daemon thread named {@code sms-feedback-reporter}, owned and shut
     * down by the reporter.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The source of retry jitter: values in {@code [0, 1)} (others are clamped). Default: {@link
     * ThreadLocalRandom}.
     */
    public Builder jitter(DoubleSupplier jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * The transport. The reporter owns it and closes it when it closes. Default: {@link
     * FeedbackTransport#http(FeedbackSettings)} using this builder's clock.
     */
    public Builder transport(FeedbackTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder addListener(FeedbackListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Builds and starts the reporter. */
    public FeedbackReporter build() {
      return new DefaultFeedbackReporter(
          settings, clock, scheduler, jitter, transport, List.copyOf(listeners));
    }
  }
}
