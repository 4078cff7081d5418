package io.smsfeedback.internal.tracker;

import io.smsfeedback.ConversionListener;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.internal.DaemonThreads;
import io.smsfeedback.internal.LogOnce;
import io.smsfeedback.store.DeliveryOutbox;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.store.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConversionTracker}: see its javadoc for the contract.
 *
 * <p>Longer than the project's ~400 lines a class: it is one state machine (sent, verified, wrong
 * code, superseded, abandoned, redelivered) over one store, each transition a short
 * compare-and-set loop, plus the timer's scan; split over files, a reader would have to assemble
 * the machine again. Its state lives in the store; this class adds thread-safe counters and a timer.
 */
public final class DefaultConversionTracker implements ConversionTracker {

  /** Name of the timer thread the tracker creates when none is given. */
  public static final String THREAD_NAME = "sms-feedback-tracker";

  /** Records fetched, purged or evicted per store call. */
  static final int BATCH = 1000;

  /** Batches of undelivered outcomes claimed from a {@link DeliveryOutbox} per scan, at most. */
  static final int REDELIVERY_ROUNDS = 10;

  private static final Logger log = LoggerFactory.getLogger(ConversionTracker.class);

  private enum Event {
    VERIFIED,
    WRONG_CODE,
    SUPERSEDED
  }

  private final FeedbackReporter reporter;
  private final int queueCapacity;
  private final TrackingStore store;
  private final Clock clock;
  private final Duration validity;
  private final Duration abandonAfter;
  private final int maxAttempts;
  private final int maxTracked;
  private final @Nullable ScheduledExecutorService ownedScheduler;
  private final ConversionListener listener;
  private volatile @Nullable ScheduledFuture<?> scan;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final LogOnce logs = new LogOnce(log);

  private final LongAdder successes = new LongAdder();
  private final LongAdder failuresSuperseded = new LongAdder();
  private final LongAdder failuresMaxAttempts = new LongAdder();
  private final LongAdder failuresAbandoned = new LongAdder();
  private final LongAdder wrongCodes = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder adopted = new LongAdder();
  private final LongAdder tooLate = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder overCapacity = new LongAdder();
  private final LongAdder afterClose = new LongAdder();
  private final LongAdder errors = new LongAdder();

  private DefaultConversionTracker(
      FeedbackSettings settings,
      FeedbackReporter reporter,
      TrackingStore store,
      Clock clock,
      @Nullable ScheduledExecutorService ownedScheduler,
      ConversionListener listener) {
    this.reporter = reporter;
    this.listener = listener;
    this.store = store;
    this.clock = clock;
    this.validity = settings.validity();
    this.abandonAfter = settings.abandonAfter();
    this.maxAttempts = settings.maxAttempts();
    this.maxTracked = settings.maxTracked();
    this.queueCapacity = settings.queueCapacity();
    this.ownedScheduler = ownedScheduler;
  }

  /**
   * Creates a tracker and schedules its scan every {@code scanInterval} on {@code scheduler}, or on a
   * new single daemon thread owned by the tracker if {@code scheduler} is null. With a {@link
   * DeliveryOutbox} store the first scan runs at once, so outcomes left undelivered by a stopped
   * node are picked up at startup. {@code listener} is told of every tracked OTP and decision.
   */
  public static DefaultConversionTracker start(
      FeedbackSettings settings,
      FeedbackReporter reporter,
      TrackingStore store,
      Clock clock,
      @Nullable ScheduledExecutorService scheduler,
      Duration scanInterval,
      ConversionListener listener) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scanInterval, "scanInterval");
    ScheduledExecutorService owned =
        scheduler == null ? DaemonThreads.scheduler(THREAD_NAME, t -> {}) : null;
    ScheduledExecutorService timer = scheduler != null ? scheduler : owned;
    DefaultConversionTracker tracker =
        new DefaultConversionTracker(settings, reporter, store, clock, owned, listener);
    long nanos = scanInterval.toNanos();
    long first = store instanceof DeliveryOutbox ? 0 : nanos;
    tracker.scan =
        timer.scheduleWithFixedDelay(tracker::scanNow, first, nanos, TimeUnit.NANOSECONDS);
    return tracker;
  }

  @Override
  public Signal sent(SentOtp otp) {
    Objects.requireNonNull(otp, "otp");
    if (closed.get()) {
      afterClose.increment();
      return Signal.CLOSED;
    }
    try {
      Instant now = clock.instant();
      if (pastWindow(otp.sentAt(), now)) {
        tooLate.increment();
        return Signal.TOO_LATE;
      }
      // Below max-tracked the insert itself tells a duplicate (one store call, one statement for a
      // SQL store); at the bound, look first so that a duplicate never evicts anything.
      if (store.countTracked() >= maxTracked) {
        if (store.find(otp.umid()).isPresent()) {
          duplicates.increment();
          return Signal.DUPLICATE;
        }
        if (!makeRoom()) {
          return overCapacity();
        }
      }
      if (!store.insertIfAbsent(TrackedOtp.pending(otp, otp.sentAt().plus(abandonAfter)))) {
        duplicates.increment();
        return Signal.DUPLICATE;
      }
      log.debug("tracking umid {}", otp.umid());
      notifyTracked(otp);
      return Signal.APPLIED;
    } catch (RuntimeException e) {
      return error("sent", e);
    }
  }

  @Override
  public Signal superseded(SentOtp replaced, Instant at) {
    return signal(replaced, at, Event.SUPERSEDED);
  }

  @Override
  public Signal verified(SentOtp otp, Instant at) {
    return signal(otp, at, Event.VERIFIED);
  }

  @Override
  public Signal wrongCode(SentOtp otp, Instant at) {
    return signal(otp, at, Event.WRONG_CODE);
  }

  private Signal signal(SentOtp passed, Instant at, Event event) {
    Objects.requireNonNull(passed, "otp");
    Objects.requireNonNull(at, "at");
    if (closed.get()) {
      afterClose.increment();
      return Signal.CLOSED;
    }
    try {
      Instant now = clock.instant();
      if (event != Event.WRONG_CODE) {
        // The common case in one store call: a pending umid within its window is decided.
        TrackingState state =
            event == Event.VERIFIED ? TrackingState.VERIFIED : TrackingState.SUPERSEDED;
        Optional<TrackedOtp> decided =
            store.finishIfPending(passed.umid(), state, at, now, now.minus(validity));
        if (decided.isPresent()) {
          TrackedOtp next = decided.get();
          count(next);
          Instant decidedAt = Objects.requireNonNull(next.decidedAt(), "decidedAt");
          return report(new Feedback(next.otp(), outcomeOf(state), decidedAt))
              ? Signal.APPLIED
              : Signal.ERROR;
        }
        // untracked, final already or past its window: the loop below tells which
      }
      while (true) {
        Optional<TrackedOtp> found = store.find(passed.umid());
        TrackedOtp current;
        if (found.isPresent()) {
          current = found.get();
        } else {
          if (pastWindow(passed.sentAt(), now)) {
            tooLate.increment();
            return Signal.TOO_LATE;
          }
          if (!now.isBefore(passed.sentAt().plus(abandonAfter))) {
            // Abandonment decided it at sentAt + abandon-after (here, or before a restart that
            // forgot it): adopting it now could report a second outcome (RATIONALE.md).
            duplicates.increment();
            log.debug("untracked umid {} is past abandon-after: already decided", passed.umid());
            return Signal.DUPLICATE;
          }
          if (!makeRoom()) {
            return overCapacity();
          }
          current = TrackedOtp.pending(passed, passed.sentAt().plus(abandonAfter));
          if (!store.insertIfAbsent(current)) {
            continue; // another call tracked it first: act on the stored record
          }
          adopted.increment();
          notifyTracked(passed);
          log.debug("adopted untracked umid {} on {}", passed.umid(), event);
        }
        if (pastWindow(current.sentAt(), now)) {
          tooLate.increment();
          return Signal.TOO_LATE;
        }
        if (current.isFinished()) {
          duplicates.increment();
          log.debug("duplicate {} for umid {} (already {})", event, current.umid(), current.state());
          return Signal.DUPLICATE;
        }
        Feedback feedback = null;
        TrackedOtp next;
        if (event == Event.WRONG_CODE
            && (maxAttempts == 0 || current.wrongCodes() + 1 < maxAttempts)) {
          next = current.withWrongCode();
        } else {
          TrackingState state =
              switch (event) {
                case VERIFIED -> TrackingState.VERIFIED;
                case SUPERSEDED -> TrackingState.SUPERSEDED;
                case WRONG_CODE -> TrackingState.MAX_ATTEMPTS;
              };
          feedback = Feedback.of(current.otp(), outcomeOf(state), at, now);
          next = current.finish(state, feedback.actedAt());
        }
        if (!store.compareAndSet(current, next)) {
          continue; // changed meanwhile: decide again on the fresh record
        }
        if (event == Event.WRONG_CODE) {
          wrongCodes.increment();
        }
        if (feedback == null) {
          return Signal.ATTEMPT_COUNTED;
        }
        count(next);
        return report(feedback) ? Signal.APPLIED : Signal.ERROR;
      }
    } catch (RuntimeException e) {
      return error(event.name().toLowerCase(Locale.ROOT), e);
    }
  }

  /**
   * One run of the timer: abandons due pending umids, reports again the outcomes a {@link
   * DeliveryOutbox} store hands back, then forgets finished umids past their window.
   */
  void scanNow() {
    try {
      Instant now = clock.instant();
      abandonDue(now);
      if (store instanceof DeliveryOutbox outbox) {
        redeliver(outbox, now);
      }
      Instant cutoff = now.minus(validity);
      while (store.purgeFinishedBefore(cutoff, BATCH) == BATCH) {
        // next batch
      }
    } catch (RuntimeException e) {
      errors.increment();
      warnOnce("the abandonment scan failed; it runs again at the next interval", e);
    }
  }

  /**
   * Abandons the pending umids due by {@code now}, earliest first, but no more than the reporter's
   * queue has room for: a storm of abandonments larger than the queue would otherwise be dropped
   * (queue full) although their deadlines allow delivery. The rest stay pending in the store (a
   * verification meanwhile still decides them) and are abandoned by later scans as the reporter
   * drains, or expire here if their window passes first; they cost no memory beyond their record,
   * already counted in {@code max-tracked}.
   */
  private void abandonDue(Instant now) {
    // Bounded so that a store which keeps returning records it will not let us change cannot pin
    // the timer thread; whatever is left is picked up by the next scan.
    long rounds = maxTracked / BATCH + 2;
    for (long round = 0; round < rounds; round++) {
      int limit = batchForRoom();
      if (limit == 0) {
        log.debug("the reporter's queue is full: due abandonments wait for the next scan");
        return;
      }
      List<TrackedOtp> due = store.findDueForAbandonment(now, limit);
      for (TrackedOtp record : due) {
        abandon(record, now);
      }
      if (due.size() < limit) {
        return;
      }
    }
  }

  /** How many outcomes to hand the reporter in one batch: at most its queue's room, or 0. */
  private int batchForRoom() {
    long room = queueCapacity - reporter.stats().queued();
    return room <= 0 ? 0 : (int) Math.min(BATCH, room);
  }

  private void abandon(TrackedOtp record, Instant now) {
    try {
      if (pastWindow(record.sentAt(), now)) {
        if (store.compareAndSet(record, record.finish(TrackingState.EXPIRED, now))) {
          expired.increment();
          log.debug("umid {} expired before the abandonment timer reached it", record.umid());
        }
        return;
      }
      Feedback feedback = Feedback.of(record.otp(), Outcome.FAILURE, now, now);
      TrackedOtp abandoned = record.finish(TrackingState.ABANDONED, feedback.actedAt());
      if (store.compareAndSet(record, abandoned)) {
        count(abandoned);
        report(feedback);
      }
      // else: decided or counted a wrong code meanwhile; if still pending, the next scan retries
    } catch (RuntimeException e) {
      errors.increment();
      warnOnce("abandoning an OTP failed", e);
    }
  }

  /**
   * Reports again the outcomes that were decided (by any tracker on the store) but whose delivery
   * was never settled and whose node no longer holds them. Bounded per scan, and by the room left
   * in the reporter's queue: an outcome the reporter would refuse (queue full, e.g. while 8x8 is
   * unreachable) is not claimed at all, so it is neither counted as dropped again nor claimed in a
   * loop; it waits in the store until this node's queue has room or another node's has. The rest
   * wait for the next scan.
   */
  private void redeliver(DeliveryOutbox outbox, Instant now) {
    Instant sentAfter = now.minus(validity);
    outbox.renewLeases(sentAfter);
    for (int round = 0; round < REDELIVERY_ROUNDS; round++) {
      int limit = batchForRoom();
      if (limit == 0) {
        log.debug("the reporter's queue is full: no undelivered outcome claimed this scan");
        return;
      }
      List<TrackedOtp> claimed = outbox.claimUndelivered(sentAfter, limit);
      for (TrackedOtp record : claimed) {
        Outcome outcome = record.state().outcome();
        Instant decidedAt = record.decidedAt();
        if (outcome == null || decidedAt == null) {
          continue; // not an outcome: a store bug; nothing to send
        }
        log.debug("reporting again the {} decided for umid {}", outcome, record.umid());
        report(new Feedback(record.otp(), outcome, decidedAt));
      }
      if (!claimed.isEmpty()) {
        log.info(
            "sms-feedback tracker: reporting {} outcome(s) again that were decided but not"
                + " delivered (their node stopped or gave them up)",
            claimed.size());
      }
      if (claimed.size() < limit) {
        return;
      }
    }
  }

  /** Hands a decided outcome to the reporter; false if the reporter threw. */
  private boolean report(Feedback feedback) {
    try {
      if (!reporter.report(feedback)) {
        log.debug("reporter refused {} for umid {}", feedback.outcome(), feedback.umid());
      }
      return true;
    } catch (RuntimeException e) {
      errors.increment();
      warnOnce("the reporter threw; the outcome was decided but not sent", e);
      return false;
    }
  }

  /** Whether a new umid may be inserted, evicting the oldest finished ones if at the bound. */
  private boolean makeRoom() {
    long excess = store.countTracked() - maxTracked + 1;
    if (excess <= 0) {
      return true;
    }
    return store.evictOldestFinished((int) Math.min(excess, BATCH)) >= excess;
  }

  private Signal overCapacity() {
    overCapacity.increment();
    if (logs.first("over-capacity")) {
      log.warn(
          "sms-feedback: all {} tracked OTPs are pending ({}); new OTPs are not tracked until some"
              + " finish. Raise it if this is normal load. Further occurrences are logged at DEBUG.",
          maxTracked,
          FeedbackSettings.MAX_TRACKED);
    } else {
      log.debug("max-tracked ({}) OTPs pending; an OTP was not tracked", maxTracked);
    }
    return Signal.OVER_CAPACITY;
  }

  private Signal error(String call, RuntimeException e) {
    errors.increment();
    warnOnce("the tracking store failed in " + call + "(); the call had no effect", e);
    return Signal.ERROR;
  }

  /** The first error of any kind at WARN, all later ones at DEBUG. */
  private void warnOnce(String message, RuntimeException e) {
    logs.warn("error", "sms-feedback tracker: " + message, e);
  }

  /** Counts a decision just applied to the store and tells the listener. */
  private void count(TrackedOtp decided) {
    switch (decided.state()) {
      case VERIFIED -> successes.increment();
      case SUPERSEDED -> failuresSuperseded.increment();
      case MAX_ATTEMPTS -> failuresMaxAttempts.increment();
      case ABANDONED -> failuresAbandoned.increment();
      default -> throw new IllegalStateException("not an outcome: " + decided.state());
    }
    try {
      listener.decided(
          decided.otp(), decided.state(), Objects.requireNonNull(decided.decidedAt(), "decidedAt"));
    } catch (RuntimeException e) {
      logs.warn("listener", "sms-feedback tracker: the conversion listener threw; ignored", e);
    }
  }

  private void notifyTracked(SentOtp otp) {
    try {
      listener.tracked(otp);
    } catch (RuntimeException e) {
      logs.warn("listener", "sms-feedback tracker: the conversion listener threw; ignored", e);
    }
  }

  private static Outcome outcomeOf(TrackingState state) {
    return Objects.requireNonNull(state.outcome(), "outcome");
  }

  private boolean pastWindow(Instant sentAt, Instant now) {
    return now.isAfter(sentAt.plus(validity));
  }

  @Override
  public TrackerStats stats() {
    long tracked;
    long pending;
    try {
      tracked = store.countTracked();
      pending = store.countPending();
    } catch (RuntimeException e) {
      warnOnce("the tracking store failed to count", e);
      tracked = -1;
      pending = -1;
    }
    return new TrackerStats(
        tracked,
        pending,
        successes.sum(),
        failuresSuperseded.sum(),
        failuresMaxAttempts.sum(),
        failuresAbandoned.sum(),
        wrongCodes.sum(),
        duplicates.sum(),
        adopted.sum(),
        tooLate.sum(),
        expired.sum(),
        overCapacity.sum(),
        afterClose.sum(),
        errors.sum());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> task = scan;
    if (task != null) {
      task.cancel(false);
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdown();
    }
    log.debug("conversion tracker closed; pending OTPs stay in the store");
  }

  @Override
  public String toString() {
    return "ConversionTracker{store=" + store + ", closed=" + closed.get() + '}';
  }
}
