package io.smsfeedback.internal.reporter;

import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryEvent.DropReason;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.TransportResult;
import io.smsfeedback.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's counters and what it tells listeners and the log about each attempt's end: one
 * method per outcome, each counting it and adding its events and log lines to the transition's
 * {@link Effects}.
 *
 * <p>Lock discipline: not thread-safe; every field is guarded by the reporter's dispatcher lock,
 * under which all its methods are called. {@link Intake#stats} reads the counters for a snapshot.
 */
final class Outcomes {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** At most one ERROR about a refused API key per this interval. */
  static final Duration AUTH_LOG_INTERVAL = Duration.ofMinutes(1);

  private final Duration validity;

  long delivered;
  long rejected;
  long expired;
  long droppedShutdown;
  long attempts;
  long retries;
  @Nullable String lastError;
  @Nullable Instant lastErrorAt;
  boolean authFailing;
  private @Nullable Instant lastAuthErrorLog;

  Outcomes(FeedbackSettings settings) {
    this.validity = settings.validity();
  }

  void started(Attempt attempt) {
    attempts++;
    if (attempt.number > 1) {
      retries++;
    }
  }

  void delivered(Item it, TransportResult result, Instant now, Effects fx) {
    delivered++;
    authFailing = false;
    fx.terminal(terminal(it, DeliveryState.DELIVERED, now, true));
    if (log.isDebugEnabled()) {
      fx.add(
          () ->
              log.debug(
                  "Feedback for umid {} delivered ({}, attempt {})",
                  it.feedback.umid(),
                  result.describe(),
                  it.attempts()));
    }
  }

  void rejected(Item it, TransportResult result, Instant now, Effects fx) {
    rejected++;
    noteError(result, now);
    if (result.isAuthFailure()) {
      authFailing = true;
      logAuth(it, result, now, fx);
    } else {
      fx.warnOnce(
          "rejected:" + result.status(),
          "8x8 rejected a feedback for good: "
              + details(result)
              + " (subaccount "
              + it.feedback.otp().subAccountId()
              + ", umid "
              + it.feedback.umid()
              + ")");
    }
    fx.terminal(terminal(it, DeliveryState.REJECTED, now, true));
  }

  /** A retryable answer; {@code pause} is the {@code Retry-After} pause it asked, or null. */
  void retrying(TransportResult result, @Nullable Duration pause, Instant now, Effects fx) {
    noteError(result, now);
    fx.warnOnce(
        "retry:" + (result.status() == 0 ? result.ioError() : result.status()),
        "8x8 feedback attempt failed: "
            + details(result)
            + (pause != null
                ? "; 8x8 asked to wait " + Durations.format(pause) + ", pausing all attempts"
                : "")
            + "; retrying until the deadline");
  }

  void expired(Item it, Instant now, Effects fx) {
    expired++;
    fx.terminal(terminal(it, DeliveryState.EXPIRED, now, false));
    TransportResult last = it.last();
    fx.warnOnce(
        "expired",
        "A feedback expired before 8x8 accepted it (deadline sentAt + "
            + Durations.format(validity)
            + ", "
            + it.attempts()
            + " attempt(s), last: "
            + (last == null ? "none" : last.describe())
            + ")");
  }

  void droppedShutdown(Item it, Instant now, Effects fx) {
    droppedShutdown++;
    fx.terminal(
        new DeliveryEvent(
            it.feedback,
            DeliveryState.DROPPED,
            DropReason.SHUTDOWN,
            it.attempts(),
            it.last(),
            null,
            now));
  }

  private void noteError(TransportResult result, Instant now) {
    lastError = result.describe();
    lastErrorAt = now;
  }

  private void logAuth(Item it, TransportResult result, Instant now, Effects fx) {
    String sub = it.feedback.otp().subAccountId();
    int status = result.status();
    if (lastAuthErrorLog == null || !now.isBefore(lastAuthErrorLog.plus(AUTH_LOG_INTERVAL))) {
      lastAuthErrorLog = now;
      fx.add(
          () ->
              log.error(
                  "8x8 refused the API key (HTTP {}) for subaccount {}; check {}",
                  status,
                  sub,
                  FeedbackSettings.API_KEY));
    } else {
      fx.add(() -> log.debug("8x8 refused the API key (HTTP {}) for subaccount {}", status, sub));
    }
  }

  private static DeliveryEvent terminal(
      Item it, DeliveryState state, Instant now, boolean answered) {
    return new DeliveryEvent(
        it.feedback,
        state,
        null,
        it.attempts(),
        it.last(),
        answered ? nonNegative(it.feedback.actedAt(), now) : null,
        now);
  }

  static Duration nonNegative(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String details(TransportResult r) {
    StringBuilder sb = new StringBuilder(r.describe());
    if (r.errorMessage() != null) {
      sb.append(", message \"").append(r.errorMessage()).append('"');
    }
    if (r.errorId() != null) {
      sb.append(", errorId ").append(r.errorId());
    }
    return sb.toString();
  }

  /** The name of what ended a transport's future exceptionally, unwrapped. */
  static String describe(@Nullable Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e == null ? "unknown" : e.getClass().getSimpleName();
  }
}
