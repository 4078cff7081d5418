package io.smsfeedback;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A consistent snapshot of a {@link FeedbackReporter}'s counters. At every moment {@code accepted ==
 * delivered + rejected + expired + dropped() + queued + inFlight}.
 *
 * @param accepted every {@code report} call that was not a duplicate, also those refused because
 *     the queue was full, the deadline had passed or the reporter was closed (each then counted in
 *     one of the terminal counters)
 * @param delivered answered 2xx by 8x8
 * @param rejected refused for good by 8x8 (4xx other than 408/429, 501, 505, 1xx/3xx)
 * @param expired deadline passed (or nearly: less than 100 ms left) before delivery
 * @param droppedQueueFull refused by {@code report} because the queue was full
 * @param droppedShutdown reported after close, or still queued or in flight when the shutdown
 *     timeout ended
 * @param queued waiting (including waiting for a retry)
 * @param inFlight being sent now
 * @param duplicates refused because the umid was already queued or finished (remembered until
 *     its deadline); not part of {@code accepted}
 * @param attempts HTTP attempts made (first tries and retries)
 * @param retries attempts that were retries
 * @param lastError a short description of the last failure (no secret, no umid), or null
 * @param lastErrorAt when {@code lastError} happened, or null
 * @param authFailing whether 8x8's last answer was 401/403 (cleared by a later delivery)
 */
public record ReporterStats(
    long accepted,
    long delivered,
    long rejected,
    long expired,
    long droppedQueueFull,
    long droppedShutdown,
    long queued,
    long inFlight,
    long duplicates,
    long attempts,
    long retries,
    @Nullable String lastError,
    @Nullable Instant lastErrorAt,
    boolean authFailing) {

  public long dropped() {
    return droppedQueueFull + droppedShutdown;
  }

  /** Whether the accounting identity holds for this snapshot. */
  public boolean balanced() {
    return accepted == delivered + rejected + expired + dropped() + queued + inFlight;
  }
}
