package io.smsfeedback.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One request the simulator received on its API (the dashboard and listing endpoints are not
 * recorded), whatever its fate. Components documented as "or null" are null when they do not
 * apply or could not be read. Two records are the same request when their {@link #sequence()}s
 * are equal.
 *
 * @param sequence the order of recording (just before the answer), from 1, unique per simulator
 *     (not restarted by {@code reset()})
 * @param receivedAt when the request had been read completely
 * @param method the HTTP method as sent
 * @param target the request target as sent (path, still percent-encoded, and query)
 * @param headers the headers by lower-case name
 * @param body the raw body bytes (a copy is returned)
 * @param endpoint which API endpoint the path names
 * @param subAccountId the percent-decoded subaccount path segment, or null
 * @param umid the feedback path's umid when it is a UUID, or the umid assigned to an accepted
 *     send, or null
 * @param outcome the {@code outcome} of a valid feedback body, or null
 * @param timestamp the {@code timestamp} of a valid feedback body, or null
 * @param status the status sent back, 0 when no status line was sent (hang, close)
 * @param fault the fault applied, or null
 * @param verdict what the simulator made of the request
 * @param error why the request was rejected (the error message sent), or null
 */
public record RecordedRequest(
    long sequence,
    Instant receivedAt,
    String method,
    String target,
    Map<String, List<String>> headers,
    byte[] body,
    Endpoint endpoint,
    String subAccountId,
    UUID umid,
    String outcome,
    String timestamp,
    int status,
    Fault fault,
    Verdict verdict,
    String error) {

  /** The API endpoint a request was addressed to. */
  public enum Endpoint {
    /** {@code POST /api/v1/subaccounts/{subAccountId}/messages/{umid}/feedback}. */
    FEEDBACK,
    /** {@code POST /api/v1/subaccounts/{subAccountId}/messages}. */
    SEND_SMS,
    /** Any other path (answered 404). */
    OTHER
  }

  /** What the simulator made of a request. */
  public enum Verdict {
    /** Valid and processed: a feedback counts as received, a send stored its message. */
    ACCEPTED,
    /** Refused by validation or routing (4xx, with the reason in {@code error}). */
    REJECTED,
    /** A fault was applied instead of processing the request. */
    FAULTED
  }

  /** Copies the body and checks the required components. */
  public RecordedRequest {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    headers = Map.copyOf(headers);
    body = body.clone();
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(verdict, "verdict");
  }

  /** The raw body bytes (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8 (malformed bytes replaced). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a header (name case-insensitive). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public String toString() {
    return "#"
        + sequence
        + " "
        + method
        + " "
        + target
        + " -> "
        + (status == 0 ? "no status" : Integer.toString(status))
        + " "
        + verdict
        + (fault == null ? "" : " [" + fault + "]")
        + (error == null ? "" : " (" + error + ")");
  }
}
