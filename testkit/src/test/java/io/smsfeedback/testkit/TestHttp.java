package io.smsfeedback.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** HTTP helpers for tests: the JDK client, and a raw socket speaking HTTP/1.1 by hand. */
final class TestHttp {

  static final String SUB = "acme-otp";
  static final String KEY = SmsApiSimulator.DEFAULT_API_KEY;

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestHttp() {}

  static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder json(URI uri, String body) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Posts a feedback with the right key and content type. */
  static HttpResponse<String> feedback(SmsApiSimulator sim, UUID umid, String body)
      throws IOException, InterruptedException {
    return send(json(sim.feedbackUri(SUB, umid), body).build());
  }

  static HttpResponse<String> success(SmsApiSimulator sim, UUID umid)
      throws IOException, InterruptedException {
    return feedback(sim, umid, "{\"outcome\":\"success\"}");
  }

  static HttpResponse<String> get(SmsApiSimulator sim, String path)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
  }

  /** A response read off a raw socket. */
  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Socket socket(SmsApiSimulator sim) throws IOException {
    Socket socket = new Socket("127.0.0.1", sim.port());
    socket.setSoTimeout(5000);
    return socket;
  }

  static void write(Socket socket, String text) throws IOException {
    write(socket, text.getBytes(StandardCharsets.UTF_8));
  }

  static void write(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** A complete feedback request with a Content-Length, as raw HTTP/1.1. */
  static String rawFeedback(UUID umid, String body, String... extraHeaders) {
    StringBuilder sb =
        new StringBuilder()
            .append("POST /api/v1/subaccounts/")
            .append(SUB)
            .append("/messages/")
            .append(umid)
            .append("/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .append("Authorization: Bearer ")
            .append(KEY)
            .append("\r\nContent-Type: application/json\r\n");
    for (String h : extraHeaders) {
      sb.append(h).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return sb.append("Content-Length: ")
        .append(bytes.length)
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /** Reads one response framed by Content-Length (or to EOF without one). */
  static Raw read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    if (statusLine == null) {
      throw new EOFException("connection closed before a status line");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (status < 200 || status == 204 || status == 304) {
      // no body
    } else if (length != null) {
      int n = Integer.parseInt(length);
      for (int i = 0; i < n; i++) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("body cut after " + i + " of " + n + " bytes");
        }
        body.write(b);
      }
    } else {
      in.transferTo(body);
    }
    return new Raw(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends one raw request on a new connection and reads the answer. */
  static Raw exchange(SmsApiSimulator sim, String request) throws IOException {
    try (Socket socket = socket(sim)) {
      write(socket, request);
      return read(socket);
    }
  }

  static Raw exchange(SmsApiSimulator sim, byte[] request) throws IOException {
    try (Socket socket = socket(sim)) {
      write(socket, request);
      return read(socket);
    }
  }
}
