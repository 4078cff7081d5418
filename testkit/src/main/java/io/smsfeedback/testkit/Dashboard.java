package io.smsfeedback.testkit;

import io.smsfeedback.testkit.internal.HttpExchange;
import io.smsfeedback.testkit.internal.HttpHandler;
import io.smsfeedback.testkit.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The simulator's own pages: {@code /} (HTML), {@code /api/feedback}, {@code /api/messages}. */
final class Dashboard {

  private static final int MAX_ROWS = 500;

  private final RecordStore store;

  Dashboard(RecordStore store) {
    this.store = store;
  }

  boolean serves(String path) {
    return path.equals("/")
        || path.equals("/api/feedback")
        || path.equals("/api/messages")
        || path.equals("/favicon.ico");
  }

  void handle(HttpExchange exchange, String path, HttpHandler errors) throws IOException {
    String method = exchange.request().method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.respond(
          405,
          Map.of("Content-Type", "application/json", "Allow", "GET, HEAD"),
          errors.errorBody(405, "Method " + method + " not allowed: use GET"));
      return;
    }
    switch (path) {
      case "/" -> respond(exchange, "text/html; charset=utf-8", html());
      case "/api/feedback" -> respond(exchange, "application/json", feedbackJson());
      case "/api/messages" ->
          respond(
              exchange, "application/json", messagesJson(param(exchange, "destination")));
      default -> exchange.respond(404, Map.of(), new byte[0]);
    }
  }

  private static void respond(HttpExchange exchange, String type, String body)
      throws IOException {
    exchange.respond(
        200,
        Map.of("Content-Type", type, "Cache-Control", "no-store"),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String param(HttpExchange exchange, String name) {
    String query = exchange.request().query();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return ApiHandler.percentDecode(eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return null;
  }

  private String feedbackJson() {
    ConversionSummary summary = store.conversion();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"successes\":")
        .append(summary.successes())
        .append(",\"failures\":")
        .append(summary.failures())
        .append(",\"rate\":")
        .append(summary.rate())
        .append(",\"feedback\":[");
    String sep = "";
    for (ReceivedFeedback f : store.accepted()) {
      sb.append(sep)
          .append("{\"sequence\":")
          .append(f.sequence())
          .append(",\"receivedAt\":")
          .append(Json.quote(f.receivedAt().toString()))
          .append(",\"subAccountId\":")
          .append(Json.quote(f.subAccountId()))
          .append(",\"umid\":")
          .append(Json.quote(f.umid().toString()))
          .append(",\"outcome\":")
          .append(Json.quote(f.outcome()))
          .append(",\"timestamp\":")
          .append(Json.quote(f.timestamp()))
          .append('}');
      sep = ",";
    }
    return sb.append("]}").toString();
  }

  private String messagesJson(String destination) {
    StringBuilder sb = new StringBuilder(256).append("{\"messages\":[");
    String sep = "";
    String wanted = destination == null ? null : RecordStore.normalize(destination);
    for (SentMessage m : store.sent()) {
      if (wanted != null && !RecordStore.normalize(m.destination()).equals(wanted)) {
        continue;
      }
      sb.append(sep)
          .append("{\"umid\":")
          .append(Json.quote(m.umid().toString()))
          .append(",\"sentAt\":")
          .append(Json.quote(m.sentAt().toString()))
          .append(",\"subAccountId\":")
          .append(Json.quote(m.subAccountId()))
          .append(",\"destination\":")
          .append(Json.quote(m.destination()))
          .append(",\"text\":")
          .append(Json.quote(m.text()))
          .append(",\"source\":")
          .append(Json.quote(m.source()))
          .append(",\"clientMessageId\":")
          .append(Json.quote(m.clientMessageId()))
          .append(",\"encoding\":")
          .append(Json.quote(m.encoding()))
          .append(",\"code\":")
          .append(Json.quote(m.code().orElse(null)))
          .append('}');
      sep = ",";
    }
    return sb.append("]}").toString();
  }

  private String html() {
    ConversionSummary summary = store.conversion();
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\">")
        .append("<title>8x8 SMS API simulator</title>")
        .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
        .append("code{font-size:90%}</style></head><body>\n")
        .append("<h1>8x8 SMS API simulator</h1>\n")
        .append("<p>Conversion: <b>")
        .append(summary.successes())
        .append("</b> successes, <b>")
        .append(summary.failures())
        .append("</b> failures, rate <b>")
        .append(
            summary.total() == 0
                ? "n/a"
                : String.format(Locale.ROOT, "%.1f%%", summary.rate() * 100))
        .append("</b></p>\n");

    List<RecordedRequest> feedback = new ArrayList<>();
    for (RecordedRequest r : store.requests()) {
      if (r.endpoint() == RecordedRequest.Endpoint.FEEDBACK) {
        feedback.add(r);
      }
    }
    Collections.reverse(feedback);
    sb.append("<h2>Feedback requests (")
        .append(feedback.size())
        .append(", newest first)</h2>\n<table><tr><th>received</th><th>umid</th>")
        .append("<th>subaccount</th><th>outcome</th><th>timestamp</th><th>status</th>")
        .append("<th>verdict</th><th>fault / error</th></tr>\n");
    for (RecordedRequest r : feedback.subList(0, Math.min(MAX_ROWS, feedback.size()))) {
      row(
          sb,
          r.receivedAt().toString(),
          r.umid() == null ? "" : r.umid().toString(),
          r.subAccountId(),
          r.outcome(),
          r.timestamp(),
          r.status() == 0 ? "none" : Integer.toString(r.status()),
          r.verdict().name(),
          r.fault() != null ? r.fault().toString() : r.error());
    }
    sb.append("</table>\n");

    List<SentMessage> sent = new ArrayList<>(store.sent());
    Collections.reverse(sent);
    sb.append("<h2>Sent messages (")
        .append(sent.size())
        .append(", newest first)</h2>\n<table><tr><th>sent</th><th>umid</th>")
        .append("<th>subaccount</th><th>destination</th><th>source</th><th>text</th></tr>\n");
    for (SentMessage m : sent.subList(0, Math.min(MAX_ROWS, sent.size()))) {
      row(
          sb,
          m.sentAt().toString(),
          m.umid().toString(),
          m.subAccountId(),
          m.destination(),
          m.source(),
          m.text());
    }
    return sb.append("</table>\n</body></html>\n").toString();
  }

  private static void row(StringBuilder sb, String... cells) {
    sb.append("<tr>");
    for (String cell : cells) {
      sb.append("<td>").append(escape(cell)).append("</td>");
    }
    sb.append("</tr>\n");
  }

  /** Escapes text for an HTML element or a quoted attribute; null gives the empty string. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
