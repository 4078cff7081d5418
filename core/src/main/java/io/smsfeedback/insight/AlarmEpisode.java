package io.smsfeedback.insight;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One alarm of a country, from raised to cleared (preview): what {@link PumpingAlarm#episodes()}
 * keeps for a plot or a report.
 *
 * @param callingCode the country's calling code
 * @param reason what raised it
 * @param raisedAt when it was raised
 * @param clearedAt when it cleared, or null while it lasts
 */
public record AlarmEpisode(
    String callingCode, AlarmEvent.Reason reason, Instant raisedAt, @Nullable Instant clearedAt) {

  public AlarmEpisode {
    Objects.requireNonNull(callingCode, "callingCode");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(raisedAt, "raisedAt");
  }

  /** Whether the alarm still lasts. */
  public boolean active() {
    return clearedAt == null;
  }
}
