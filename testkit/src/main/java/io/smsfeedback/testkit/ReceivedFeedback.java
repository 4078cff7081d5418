package io.smsfeedback.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One feedback the simulator accepted.
 *
 * @param sequence the {@link RecordedRequest#sequence()} of the request that carried it
 * @param receivedAt when the request had been read
 * @param subAccountId the subaccount from the path, percent-decoded
 * @param umid the umid from the path
 * @param outcome {@code success} or {@code failure}, exactly as sent
 * @param timestamp the {@code timestamp} exactly as sent, or null when the body had none
 */
public record ReceivedFeedback(
    long sequence,
    Instant receivedAt,
    String subAccountId,
    UUID umid,
    String outcome,
    String timestamp) {

  /** Checks the required components. */
  public ReceivedFeedback {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(subAccountId, "subAccountId");
    Objects.requireNonNull(umid, "umid");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Whether the outcome is {@code success}. */
  public boolean isSuccess() {
    return "success".equals(outcome);
  }

  /** The {@code timestamp} as an instant, when one was sent. */
  public Optional<Instant> actedAt() {
    return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
  }
}
