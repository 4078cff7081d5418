package io.smsfeedback.testkit;

import io.smsfeedback.testkit.RecordedRequest.Endpoint;
import io.smsfeedback.testkit.RecordedRequest.Verdict;
import io.smsfeedback.testkit.internal.HttpExchange;
import io.smsfeedback.testkit.internal.HttpHandler;
import io.smsfeedback.testkit.internal.HttpRequest;
import io.smsfeedback.testkit.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Routes, validates, applies faults, records and answers: the simulated 8x8 API. */
final class ApiHandler implements HttpHandler {

  static final int MAX_TEXT_LENGTH = 1600;

  private static final Pattern SUB_ACCOUNT = Pattern.compile("^[A-Za-z0-9\\-._&]{3,50}$");
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Pattern TIMESTAMP =
      Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$");
  private static final Pattern DESTINATION = Pattern.compile("^\\+?[1-9][0-9]{6,14}$");
  /** An alphanumeric sender id (1 to 11 characters) or a numeric one (up to 16 digits). */
  private static final Pattern SOURCE =
      Pattern.compile("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$|^\\+?[0-9]{1,16}$");
  /** The fields of 8x8's send API. */
  private static final Set<String> SEND_FIELDS =
      Set.of(
          "destination",
          "text",
          "source",
          "clientMessageId",
          "encoding",
          "scheduled",
          "expiry",
          "dlrCallbackUrl",
          "track");
  private static final DateTimeFormatter ERROR_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SS'Z'").withZone(ZoneOffset.UTC);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  private static final Map<String, String> ALLOW_POST =
      Map.of("Content-Type", "application/json", "Allow", "POST");

  private final byte[] apiKey;
  private final Clock clock;
  private final RecordStore store;
  private final FaultScript faults;
  private final Dashboard dashboard;

  ApiHandler(String apiKey, Clock clock, RecordStore store, FaultScript faults) {
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.store = store;
    this.faults = faults;
    this.dashboard = new Dashboard(store);
  }

  /** A request refused by validation. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final int code;

    Rejection(int status, int code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** What is known about one API request while it is handled. */
  private final class Call {
    final HttpExchange exchange;
    final HttpRequest request;
    final Instant receivedAt;
    final Endpoint endpoint;
    final String subAccountId;
    UUID umid;
    String outcome;
    String timestamp;

    Call(HttpExchange exchange, Instant receivedAt, Endpoint endpoint, String subAccountId) {
      this.exchange = exchange;
      this.request = exchange.request();
      this.receivedAt = receivedAt;
      this.endpoint = endpoint;
      this.subAccountId = subAccountId;
    }

    RecordedRequest record(
        int status, Fault fault, Verdict verdict, String error, SentMessage message) {
      long sequence = store.nextSequence();
      RecordedRequest recorded =
          new RecordedRequest(
              sequence,
              receivedAt,
              request.method(),
              request.target(),
              request.headerMap(),
              request.body(),
              endpoint,
              subAccountId,
              umid,
              outcome,
              timestamp,
              status,
              fault,
              verdict,
              error);
      ReceivedFeedback feedback =
          verdict == Verdict.ACCEPTED && endpoint == Endpoint.FEEDBACK
              ? new ReceivedFeedback(sequence, receivedAt, subAccountId, umid, outcome, timestamp)
              : null;
      store.record(recorded, feedback, message);
      return recorded;
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    HttpRequest request = exchange.request();
    Instant now = clock.instant();
    String path = request.path();
    if (dashboard.serves(path)) {
      dashboard.handle(exchange, path, this);
      return;
    }
    String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    boolean api =
        segments.length >= 5
            && segments[0].equals("api")
            && segments[1].equals("v1")
            && segments[2].equals("subaccounts")
            && segments[4].equals("messages");
    if (api && segments.length == 7 && segments[6].equals("feedback")) {
      feedback(new Call(exchange, now, Endpoint.FEEDBACK, percentDecode(segments[3])), segments[5]);
    } else if (api && segments.length == 5) {
      send(new Call(exchange, now, Endpoint.SEND_SMS, percentDecode(segments[3])));
    } else {
      Call call = new Call(exchange, now, Endpoint.OTHER, null);
      reject(call, null, new Rejection(404, 1300, "Not found: " + request.path()));
    }
  }

  // ---- feedback ----

  private void feedback(Call call, String rawUmid) throws IOException {
    String decodedUmid = percentDecode(rawUmid);
    call.umid =
        decodedUmid != null && UUID_TEXT.matcher(decodedUmid).matches()
            ? UUID.fromString(decodedUmid)
            : null;
    if (!call.request.method().equals("POST")) {
      reject(call, null, methodNotAllowed(call));
      return;
    }
    Fault fault = faults.nextForFeedback(call.umid);
    if (fault != null && applyBefore(call, fault)) {
      return;
    }
    Rejection rejection = null;
    try {
      validateFeedback(call);
    } catch (Rejection r) {
      rejection = r;
    }
    if (fault != null && fault.kind() != Fault.Kind.PASS) {
      Verdict verdict = rejection == null ? Verdict.ACCEPTED : Verdict.REJECTED;
      call.record(
          fault.status(), fault, verdict, rejection == null ? null : rejection.getMessage(), null);
      applyOnWire(call, fault);
    } else if (rejection != null) {
      reject(call, fault, rejection);
    } else {
      call.record(200, fault, Verdict.ACCEPTED, null, null);
      call.exchange.respond(200, Map.of(), new byte[0]);
    }
  }

  private void validateFeedback(Call call) throws Rejection {
    checkAuthorization(call.request);
    checkSubAccount(call.subAccountId);
    if (call.umid == null) {
      throw new Rejection(400, 1008, "Invalid ID: umid must be a UUID");
    }
    Map<String, Object> body = jsonObject(call.request);
    for (String name : body.keySet()) {
      if (!name.equals("outcome") && !name.equals("timestamp")) {
        throw new Rejection(400, 1000, "Invalid parameter: unknown field \"" + name + "\"");
      }
    }
    Object outcome = body.get("outcome");
    if (outcome == null) {
      throw new Rejection(400, 1000, "Invalid parameter: outcome is required");
    }
    if (!"success".equals(outcome) && !"failure".equals(outcome)) {
      throw new Rejection(
          400,
          1000,
          "Invalid parameter: outcome must be \"success\" or \"failure\" (lower case): "
              + describe(outcome));
    }
    String timestamp = null;
    if (body.containsKey("timestamp")) {
      Object value = body.get("timestamp");
      if (!(value instanceof String) || !isUtcTimestamp((String) value)) {
        throw new Rejection(
            400,
            1000,
            "Invalid parameter: timestamp must be a UTC ISO-8601 date-time ending in Z: "
                + describe(value));
      }
      timestamp = (String) value;
    }
    call.outcome = (String) outcome;
    call.timestamp = timestamp;
  }

  private static boolean isUtcTimestamp(String value) {
    if (!TIMESTAMP.matcher(value).matches()) {
      return false;
    }
    try {
      Instant.parse(value);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String describe(Object value) {
    return value instanceof String ? Json.quote((String) value) : String.valueOf(value);
  }

  // ---- send ----

  private void send(Call call) throws IOException {
    if (!call.request.method().equals("POST")) {
      reject(call, null, methodNotAllowed(call));
      return;
    }
    Fault fault = faults.nextForSend();
    if (fault != null && applyBefore(call, fault)) {
      return;
    }
    SentMessage message;
    try {
      message = validateSend(call);
    } catch (Rejection rejection) {
      if (fault != null && fault.kind() != Fault.Kind.PASS) {
        call.record(fault.status(), fault, Verdict.REJECTED, rejection.getMessage(), null);
        applyOnWire(call, fault);
      } else {
        reject(call, fault, rejection);
      }
      return;
    }
    call.umid = message.umid();
    if (fault != null && fault.kind() != Fault.Kind.PASS) {
      call.record(fault.status(), fault, Verdict.ACCEPTED, null, message);
      applyOnWire(call, fault);
      return;
    }
    call.record(200, fault, Verdict.ACCEPTED, null, message);
    String json =
        "{\"umid\":"
            + Json.quote(message.umid().toString())
            + ",\"clientMessageId\":"
            + Json.quote(message.clientMessageId())
            + ",\"destination\":"
            + Json.quote(message.destination())
            + ",\"encoding\":"
            + Json.quote(message.encoding())
            + ",\"status\":{\"state\":\"queued\",\"detail\":\"Message queued for delivery\"}}";
    call.exchange.respond(200, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  private SentMessage validateSend(Call call) throws Rejection {
    checkAuthorization(call.request);
    checkSubAccount(call.subAccountId);
    Map<String, Object> body = jsonObject(call.request);
    for (String name : body.keySet()) {
      if (!SEND_FIELDS.contains(name)) {
        throw new Rejection(400, 1000, "Invalid parameter: unknown field \"" + name + "\"");
      }
    }
    Object destination = body.get("destination");
    if (!(destination instanceof String) || !DESTINATION.matcher((String) destination).matches()) {
      throw new Rejection(
          400,
          1002,
          "Invalid MSISDN: destination must match ^\\+?[1-9][0-9]{6,14}$: "
              + describe(destination));
    }
    Object text = body.get("text");
    if (!(text instanceof String) || ((String) text).isEmpty()) {
      throw new Rejection(400, 1004, "Invalid Text: text must be a non-empty string");
    }
    if (((String) text).length() > MAX_TEXT_LENGTH) {
      throw new Rejection(
          400, 1004, "Invalid Text: text longer than " + MAX_TEXT_LENGTH + " characters");
    }
    Object source = body.get("source");
    if (source != null
        && (!(source instanceof String) || !SOURCE.matcher((String) source).matches())) {
      throw new Rejection(
          400,
          1005,
          "Invalid Source: source must be 1 to 11 letters, digits or spaces, or up to 16 digits: "
              + describe(source));
    }
    Object clientMessageId = body.get("clientMessageId");
    if (clientMessageId != null
        && (!(clientMessageId instanceof String) || ((String) clientMessageId).length() > 50)) {
      throw new Rejection(
          400, 1000, "Invalid parameter: clientMessageId must be a string of at most 50");
    }
    String encoding = encoding(body.get("encoding"), (String) text);
    return new SentMessage(
        RandomUuids.next(),
        call.receivedAt,
        call.subAccountId,
        (String) destination,
        (String) text,
        (String) source,
        (String) clientMessageId,
        encoding);
  }

  /** The encoding used: the one asked for (GSM7 only if the text fits), else the text's. */
  private static String encoding(Object requested, String text) throws Rejection {
    boolean fits = Gsm7.fits(text);
    if (requested == null || "AUTO".equals(requested)) {
      return fits ? "GSM7" : "UCS2";
    }
    if ("UCS2".equals(requested)) {
      return "UCS2";
    }
    if ("GSM7".equals(requested)) {
      if (!fits) {
        throw new Rejection(
            400, 1004, "Invalid Text: text has characters outside the GSM7 alphabet");
      }
      return "GSM7";
    }
    throw new Rejection(
        400,
        1000,
        "Invalid parameter: encoding must be AUTO, GSM7 or UCS2: " + describe(requested));
  }

  // ---- shared checks ----

  private void checkAuthorization(HttpRequest request) throws Rejection {
    String header = request.header("authorization");
    if (header == null) {
      throw new Rejection(401, 1200, "Unauthorized Access: missing Authorization header");
    }
    if (request.headerCount("authorization") > 1) {
      throw new Rejection(401, 1200, "Unauthorized Access: several Authorization headers");
    }
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Rejection(
          401, 1200, "Unauthorized Access: Authorization must be \"Bearer <api key>\"");
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.ISO_8859_1);
    if (!MessageDigest.isEqual(given, apiKey)) {
      throw new Rejection(401, 1200, "Unauthorized Access: invalid API key");
    }
  }

  private static void checkSubAccount(String subAccountId) throws Rejection {
    if (subAccountId == null || !SUB_ACCOUNT.matcher(subAccountId).matches()) {
      throw new Rejection(
          400, 1001, "Illegal SubAccountId: must match ^[A-Za-z0-9\\-._&]{3,50}$");
    }
  }

  private static Map<String, Object> jsonObject(HttpRequest request) throws Rejection {
    checkContentType(request.header("content-type"));
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(request.body()))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Rejection(400, 1000, "Invalid parameter: body is not valid UTF-8");
    }
    Object value;
    try {
      value = Json.parse(text);
    } catch (Json.ParseException e) {
      throw new Rejection(400, 1000, "Invalid parameter: malformed JSON: " + e.getMessage());
    }
    if (!(value instanceof Map)) {
      throw new Rejection(400, 1000, "Invalid parameter: body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map;
  }

  private static void checkContentType(String contentType) throws Rejection {
    String wrong = "Invalid parameter: Content-Type must be application/json";
    if (contentType == null) {
      throw new Rejection(400, 1000, wrong);
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      throw new Rejection(400, 1000, wrong + ", not " + contentType);
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].trim().split("=", 2);
      if (param[0].trim().equalsIgnoreCase("charset")) {
        String charset = param.length < 2 ? "" : param[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8")) {
          throw new Rejection(400, 1000, "Invalid parameter: charset must be UTF-8");
        }
      }
    }
  }

  private static Rejection methodNotAllowed(Call call) {
    return new Rejection(
        405, 2001, "Method " + call.request.method() + " not allowed: use POST");
  }

  // ---- answers ----

  /** Applies a fault's latency, then, unless it comes after processing, the fault itself. */
  private boolean applyBefore(Call call, Fault fault) throws IOException {
    if (!fault.maxLatency().isZero()) {
      call.exchange.pause(fault.sampleLatency());
    }
    if (fault.kind() == Fault.Kind.PASS || fault.isAfterProcessing()) {
      return false;
    }
    call.record(fault.status(), fault, Verdict.FAULTED, null, null);
    applyOnWire(call, fault);
    return true;
  }

  private void applyOnWire(Call call, Fault fault) throws IOException {
    HttpExchange exchange = call.exchange;
    switch (fault.kind()) {
      case HANG -> exchange.hang();
      case CLOSE -> exchange.closeWithoutAnswer();
      case RESET_MID_BODY ->
          exchange.resetMidBody(fault.status(), headers(fault, true), utf8(fault.body()));
      case WRONG_CONTENT_LENGTH -> {
        byte[] body = utf8(fault.body());
        exchange.respondWithContentLength(
            fault.status(), headers(fault, true), body, body.length + 16L);
      }
      case RESPOND -> {
        byte[] body =
            fault.body() != null
                ? utf8(fault.body())
                : fault.status() >= 400
                    ? errorBody(fault.status(), defaultMessage(fault.status()))
                    : new byte[0];
        exchange.respond(fault.status(), headers(fault, body.length > 0), body);
      }
      case PASS -> throw new IllegalStateException("PASS is not applied on the wire");
    }
  }

  private static Map<String, String> headers(Fault fault, boolean json) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (json) {
      headers.put("Content-Type", "application/json");
    }
    fault.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Content-Length")) {
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        headers.put(name, value);
      }
    });
    return headers;
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "Invalid parameter";
      case 401 -> "Unauthorized Access";
      case 403 -> "Access forbidden";
      case 404 -> "Not found";
      case 429 -> "Too many requests";
      default -> status >= 500 ? "Internal Error" : "Request failed with status " + status;
    };
  }

  private void reject(Call call, Fault fault, Rejection rejection) throws IOException {
    call.record(rejection.status, fault, Verdict.REJECTED, rejection.getMessage(), null);
    Map<String, String> headers = rejection.status == 405 ? ALLOW_POST : JSON;
    call.exchange.respond(
        rejection.status, headers, errorJson(rejection.code, rejection.getMessage()));
  }

  @Override
  public byte[] errorBody(int status, String message) {
    return errorJson(codeFor(status), message);
  }

  private byte[] errorJson(int code, String message) {
    String json =
        "{\"code\":"
            + code
            + ",\"message\":"
            + Json.quote(message)
            + ",\"errorId\":"
            + Json.quote(RandomUuids.next().toString())
            + ",\"timestamp\":"
            + Json.quote(ERROR_TIME.format(clock.instant()))
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The 8x8 error code used for a status when no finer one applies. */
  static int codeFor(int status) {
    return switch (status) {
      case 401 -> 1200;
      case 403 -> 1201;
      case 404 -> 1300;
      case 405 -> 2001;
      case 429 -> 1400;
      default -> status >= 500 ? 2000 : 1000;
    };
  }

  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes %XX escapes (UTF-8); null when malformed. {@code +} stays {@code +} in a path. */
  static String percentDecode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
