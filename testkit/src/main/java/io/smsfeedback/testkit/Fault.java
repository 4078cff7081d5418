package io.smsfeedback.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the simulator does to one request instead of (or on top of) answering it normally.
 * Immutable; made by the static factories, tuned by the {@code with...}/{@link #afterProcessing()}
 * copies, scripted through {@link SmsApiSimulator#enqueueFaults}, {@link
 * SmsApiSimulator#faultsForUmid} and {@link SmsApiSimulator#alwaysApply}.
 *
 * <p>By default a fault <em>replaces</em> the request's processing: the request is recorded with
 * {@link RecordedRequest.Verdict#FAULTED} and never counts as received feedback. With {@link
 * #afterProcessing()} the simulator first validates and records the request as usual (so a valid
 * feedback counts as received) and only then applies the fault to the answer: the server
 * "accepted" it but the client never learns (or learns something else).
 */
public final class Fault {

  /** What happens on the wire. */
  public enum Kind {
    /** No fault on the answer: the request is processed normally (after any latency). */
    PASS,
    /** A complete response with a given status, headers and body. */
    RESPOND,
    /** The request is read and never answered; the connection stays open until closed. */
    HANG,
    /** The connection is closed (FIN) before any byte of the answer. */
    CLOSE,
    /** The head and half the body are sent, then the connection is reset (RST). */
    RESET_MID_BODY,
    /** A 200 whose {@code Content-Length} promises more than is sent, then the close (FIN). */
    WRONG_CONTENT_LENGTH
  }

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Kind kind;
  private final int status;
  private final String body;
  private final Map<String, String> headers;
  private final Duration minLatency;
  private final Duration maxLatency;
  private final boolean afterProcessing;
  private final String description;

  private Fault(
      Kind kind,
      int status,
      String body,
      Map<String, String> headers,
      Duration minLatency,
      Duration maxLatency,
      boolean afterProcessing,
      String description) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.minLatency = minLatency;
    this.maxLatency = maxLatency;
    this.afterProcessing = afterProcessing;
    this.description = description;
  }

  private static Fault of(Kind kind, int status, String body, boolean after, String description) {
    return new Fault(
        kind, status, body, Map.of(), Duration.ZERO, Duration.ZERO, after, description);
  }

  /** Answers normally: useful as a gap in a sequence, or with {@link #withLatency}. */
  public static Fault none() {
    return of(Kind.PASS, 0, null, false, "none");
  }

  /**
   * Answers {@code status}; a status of 400 or more carries an 8x8-style error JSON body, others
   * an empty body.
   *
   * @param status 100..599 (1xx is sent as a final status, which clients reject: a fault too)
   */
  public static Fault status(int status) {
    return of(Kind.RESPOND, checkStatus(status), null, false, "status " + status);
  }

  /**
   * Answers {@code status} with exactly {@code body} ({@code Content-Type: application/json}
   * unless a header says otherwise).
   */
  public static Fault status(int status, String body) {
    Objects.requireNonNull(body, "body");
    return of(Kind.RESPOND, checkStatus(status), body, false, "status " + status + " with body");
  }

  /** 429 without {@code Retry-After}. */
  public static Fault tooManyRequests() {
    return status(429);
  }

  /** 429 with {@code Retry-After} in whole seconds (rounded up). */
  public static Fault tooManyRequests(Duration retryAfter) {
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be >= 0: " + retryAfter);
    }
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    return status(429).withHeader("Retry-After", Long.toString(seconds));
  }

  /** 429 with {@code Retry-After} as an HTTP-date (IMF-fixdate, whole seconds). */
  public static Fault tooManyRequests(Instant retryAt) {
    return status(429).withHeader("Retry-After", HTTP_DATE.format(retryAt));
  }

  /** Answers normally after {@code latency}. */
  public static Fault latency(Duration latency) {
    return none().withLatency(latency);
  }

  /** Answers normally after a random latency, uniform in {@code [min, max]}. */
  public static Fault latency(Duration min, Duration max) {
    return none().withLatency(min, max);
  }

  /**
   * Reads the request and never answers: the connection stays open (whatever the client sends is
   * discarded) until the client gives up or the simulator closes.
   */
  public static Fault hang() {
    return of(Kind.HANG, 0, null, false, "hang");
  }

  /** Reads the request, then closes the connection without sending a byte. */
  public static Fault closeBeforeAnswer() {
    return of(Kind.CLOSE, 0, null, false, "close before answer");
  }

  /**
   * Sends a 200 head declaring a JSON body's full {@code Content-Length} and half that body, then
   * resets the connection (RST).
   */
  public static Fault resetMidBody() {
    return of(
        Kind.RESET_MID_BODY,
        200,
        "{\"status\":\"accepted\",\"detail\":\"this body is cut by a connection reset\"}",
        false,
        "reset mid-body");
  }

  /**
   * A 200 with {@code Content-Type: application/json} and a body that is not JSON. The request is
   * processed first ({@link #afterProcessing()}), as 8x8 answering 200 means it was accepted.
   */
  public static Fault malformedBody() {
    return of(Kind.RESPOND, 200, "{\"umid\": \"unterminated", true, "200 with malformed JSON");
  }

  /**
   * A 200 whose {@code Content-Length} declares 16 bytes more than the body sent, then the
   * connection closes (FIN): the client sees a truncated response. The request is processed
   * first ({@link #afterProcessing()}).
   */
  public static Fault wrongContentLength() {
    return of(Kind.WRONG_CONTENT_LENGTH, 200, "{}", true, "200 with a wrong Content-Length");
  }

  /** This fault, applied after a fixed {@code latency}. */
  public Fault withLatency(Duration latency) {
    return withLatency(latency, latency);
  }

  /** This fault, applied after a random latency, uniform in {@code [min, max]}. */
  public Fault withLatency(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "latency must satisfy 0 <= min <= max: min=" + min + ", max=" + max);
    }
    return new Fault(kind, status, body, headers, min, max, afterProcessing, description);
  }

  /**
   * This fault plus a response header (only for faults that send a head). A given {@code
   * Content-Length} is ignored; the simulator computes it.
   */
  public Fault withHeader(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      throw new IllegalArgumentException("invalid header name: " + name);
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c > 0xff)) {
      throw new IllegalArgumentException("invalid header value for " + name);
    }
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Fault(
        kind,
        status,
        body,
        Collections.unmodifiableMap(copy),
        minLatency,
        maxLatency,
        afterProcessing,
        description);
  }

  /**
   * This fault, applied after the simulator has processed the request normally: a valid feedback
   * is recorded as received (and counts for {@link SmsApiSimulator#assertNoDuplicates()}), a
   * valid send stores the message, and then the answer is replaced by this fault. Models "8x8 got
   * it but the response was lost".
   */
  public Fault afterProcessing() {
    return new Fault(kind, status, body, headers, minLatency, maxLatency, true, description);
  }

  /** What happens on the wire. */
  public Kind kind() {
    return kind;
  }

  /** The status sent (0 when none is: {@link Kind#PASS}, {@link Kind#HANG}, {@link Kind#CLOSE}). */
  public int status() {
    return status;
  }

  /** Whether the request is processed normally before the fault is applied to the answer. */
  public boolean isAfterProcessing() {
    return afterProcessing;
  }

  /** The smallest latency applied before answering. */
  public Duration minLatency() {
    return minLatency;
  }

  /** The largest latency applied before answering. */
  public Duration maxLatency() {
    return maxLatency;
  }

  /** The extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body given to {@link #status(int, String)} or a built-in one; null for the default. */
  String body() {
    return body;
  }

  Duration sampleLatency() {
    if (minLatency.equals(maxLatency)) {
      return minLatency;
    }
    long span = maxLatency.toNanos() - minLatency.toNanos();
    return minLatency.plusNanos(ThreadLocalRandom.current().nextLong(span + 1));
  }

  private static int checkStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in 100..599: " + status);
    }
    return status;
  }

  @Override
  public String toString() {
    String what = kind == Kind.PASS && !maxLatency.isZero() ? "normal answer" : description;
    StringBuilder sb = new StringBuilder(what);
    if (!headers.isEmpty()) {
      sb.append(' ').append(headers);
    }
    if (!maxLatency.isZero()) {
      sb.append(" after ")
          .append(minLatency.toMillis())
          .append(minLatency.equals(maxLatency) ? "" : ".." + maxLatency.toMillis())
          .append(" ms");
    }
    if (afterProcessing && kind != Kind.PASS) {
      sb.append(" (after processing)");
    }
    return sb.toString();
  }
}
