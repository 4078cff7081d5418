package io.smsfeedback;

import io.smsfeedback.internal.tracker.DefaultConversionTracker;
import io.smsfeedback.store.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Turns what happens to an OTP (sent, verified, wrong code, replaced by a newer one, never came
 * back) into exactly one {@link Outcome} per umid, handed to a {@link FeedbackReporter}.
 *
 * <p><b>Rules.</b> Success on verification. A wrong code counts an attempt and is terminal (failure)
 * only when {@code max-attempts} is set and reached. Failure when superseded by a newer OTP. Failure
 * when nothing decided the umid within {@code abandon-after} of its send (the abandonment timer,
 * timestamp = when it fired). The first outcome wins; later signals for a decided umid return {@link
 * Signal#DUPLICATE}, are counted and never sent. A signal after the feedback window ({@code sentAt +
 * validity}) returns {@link Signal#TOO_LATE} and sends nothing. The outcome's timestamp is the
 * {@code at} passed in, clamped to {@code [sentAt, now]} ({@link Feedback#of}).
 *
 * <p><b>Adoption.</b> Every signal carries the {@link SentOtp}. If its umid is not tracked (the app
 * restarted but the session survived, or the send was not seen) and its window is still open, the
 * tracker adopts it: starts tracking it from the passed {@code sentAt}, then applies the signal, so a
 * real success is not lost. If the umid is tracked, the stored record (its send time and subaccount)
 * wins over the passed one. An untracked umid whose {@code sentAt + abandon-after} has passed is not
 * adopted: abandonment decided it (here, or before a restart that forgot it), so every signal for it
 * returns {@link Signal#DUPLICATE}. A finished umid forgotten after its window cannot come back (the
 * window is over), but one evicted early at {@code max-tracked} can while its abandonment time has
 * not passed: see {@link #sent}.
 *
 * <p><b>Memory.</b> At most {@code max-tracked} umids are held. Finished umids are kept only to
 * recognise duplicates until their window passes, then the timer thread forgets them. When a new
 * umid arrives at the bound, the finished umids with the oldest send time are evicted first; if every
 * tracked umid is pending, the new one is not tracked and the call returns {@link
 * Signal#OVER_CAPACITY} (counted, logged at WARN once, then at DEBUG).
 *
 * <p><b>Threading and failure.</b> Every method is thread-safe. With the default in-memory store
 * every signal method is cheap and non-blocking (a few map operations, no I/O, no lock held beyond
 * one map entry's update). No method throws for bad, late or repeated input, nor when the store or
 * the reporter fails ({@link Signal#ERROR}); only null arguments throw {@link NullPointerException}.
 * The reporter is called on the caller's thread (signals) or the timer thread (abandonment), and
 * only by the call that decided the outcome. Logs say nothing per OTP above DEBUG.
 *
 * <p><b>Lifecycle.</b> The tracker starts its timer when built. {@link #close()} stops it (and shuts
 * down the timer thread if the tracker created it), is idempotent, and leaves pending OTPs in the
 * store. After close every signal method returns {@link Signal#CLOSED} and changes nothing; {@link
 * #stats()} still works. Closing the tracker does not close the reporter.
 */
public interface ConversionTracker extends AutoCloseable {

  /** What a call did. */
  enum Signal {
    /**
     * The call took effect: {@link #sent} started tracking the OTP; a signal decided the umid's
     * outcome and handed it to the reporter (adopting the umid first if it was not tracked).
     */
    APPLIED,
    /** A wrong code was counted; the OTP is still pending. */
    ATTEMPT_COUNTED,
    /** The umid already has its outcome ({@link #sent}: is already tracked); nothing sent. */
    DUPLICATE,
    /** The OTP's feedback window ({@code sentAt + validity}) has passed; nothing tracked or sent. */
    TOO_LATE,
    /** Not tracked: {@code max-tracked} OTPs are tracked and all of them are pending. */
    OVER_CAPACITY,
    /** The tracker is closed; nothing changed. */
    CLOSED,
    /** The store or the reporter threw; logged and counted, nothing changed (or nothing sent). */
    ERROR
  }

  /**
   * Starts a tracker with the default in-memory store, the system clock and its own timer thread.
   */
  static ConversionTracker create(FeedbackSettings settings, FeedbackReporter reporter) {
    return builder(settings, reporter).build();
  }

  /** A builder to replace the clock, the timer, the store or the scan interval. */
  static Builder builder(FeedbackSettings settings, FeedbackReporter reporter) {
    return new Builder(settings, reporter);
  }

  /**
   * An OTP was sent: tracking starts and the abandonment timer runs from {@code otp.sentAt()}.
   *
   * @return {@link Signal#APPLIED}; {@link Signal#DUPLICATE} if the umid is tracked already; {@link
   *     Signal#TOO_LATE} if its window has passed; {@link Signal#OVER_CAPACITY}; {@link
   *     Signal#CLOSED}; {@link Signal#ERROR}
   */
  Signal sent(SentOtp otp);

  /**
   * {@code replaced} was superseded by a newer OTP at {@code at}: failure for it. Send the new OTP
   * with {@link #sent}.
   *
   * @return {@link Signal#APPLIED}, {@link Signal#DUPLICATE}, {@link Signal#TOO_LATE}, {@link
   *     Signal#OVER_CAPACITY} (only when adopting), {@link Signal#CLOSED} or {@link Signal#ERROR}
   */
  Signal superseded(SentOtp replaced, Instant at);

  /**
   * The user entered the right code at {@code at}: success.
   *
   * @return as {@link #superseded}
   */
  Signal verified(SentOtp otp, Instant at);

  /**
   * The user entered a wrong code at {@code at}: an attempt; failure at the {@code max-attempts}th.
   *
   * @return {@link Signal#ATTEMPT_COUNTED}, or {@link Signal#APPLIED} when it was the last allowed
   *     attempt, or as {@link #superseded}
   */
  Signal wrongCode(SentOtp otp, Instant at);

  /** A snapshot of the counters. Cheap; safe from any thread, also after {@link #close()}. */
  TrackerStats stats();

  /** Stops the abandonment timer; pending OTPs stay in the store. Idempotent; does not block. */
  @Override
  void close();

  /** Builds a {@link ConversionTracker}. Not thread-safe. */
  final class Builder {

    /** Default time between two abandonment scans: 1s. Range (0, 1m]. */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(1);

    private static final Duration MAX_SCAN_INTERVAL = Duration.ofMinutes(1);

    private final FeedbackSettings settings;
    private final FeedbackReporter reporter;
    private Clock clock = Clock.systemUTC();
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable TrackingStore store;
    private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
    private ConversionListener listener = ConversionListener.NOOP;

    private Builder(FeedbackSettings settings, FeedbackReporter reporter) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    /** The time source for "now" (clamping, windows, abandonment). Default: the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the periodic abandonment scan (and the purge of finished umids) on {@code scheduler},
     * which the caller owns: {@link ConversionTracker#close()} cancels the tracker's task but does not
     * shut it down. Default: one daemon thread named {@code sms-feedback-tracker}, owned by the
     * tracker and shut down by {@code close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where tracking state lives. Default: {@link TrackingStore#inMemory()}, one per tracker. If
     * the store is also a {@link io.smsfeedback.store.DeliveryOutbox}, each scan (the first one at
     * startup) reports again the outcomes it hands back: decided, never delivered, and no longer
     * held by the node that decided them.
     */
    public Builder store(TrackingStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Time between two abandonment scans, so the failure of an abandoned OTP is reported at most this
     * long after {@code sentAt + abandon-after}. Range (0, 1m]; default {@link
     * #DEFAULT_SCAN_INTERVAL}.
     */
    public Builder scanInterval(Duration scanInterval) {
      Objects.requireNonNull(scanInterval, "scanInterval");
      if (scanInterval.isZero() || scanInterval.isNegative()) {
        throw new IllegalArgumentException("scanInterval must be > 0: " + scanInterval);
      }
      if (scanInterval.compareTo(MAX_SCAN_INTERVAL) > 0) {
        throw new IllegalArgumentException("scanInterval must be at most 1m: " + scanInterval);
      }
      this.scanInterval = scanInterval;
      return this;
    }

    /**
     * Told of every OTP tracked and every outcome decided (e.g. {@link
     * io.smsfeedback.insight.ConversionStats}). Default: {@link ConversionListener#NOOP}.
     */
    public Builder listener(ConversionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the tracker and starts its timer.
     *
     * @throws IllegalArgumentException if the store refuses the scan interval ({@link
     *     TrackingStore#checkScanInterval})
     */
    public ConversionTracker build() {
      TrackingStore chosen = store != null ? store : TrackingStore.inMemory();
      chosen.checkScanInterval(scanInterval);
      return DefaultConversionTracker.start(
          settings,
          reporter,
          chosen,
          clock,
          scheduler,
          scanInterval,
          listener);
    }
  }
}
