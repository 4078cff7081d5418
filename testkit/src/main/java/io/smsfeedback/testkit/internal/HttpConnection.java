package io.smsfeedback.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One client connection: reads requests one after another (keep-alive) and hands them over. */
final class HttpConnection implements Runnable {

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final LoopbackHttpServer server;
  private final Socket socket;
  private final HttpLimits limits;
  private final HttpHandler handler;
  private HttpInput in;
  private OutputStream out;

  HttpConnection(LoopbackHttpServer server, Socket socket, HttpLimits limits, HttpHandler handler) {
    this.server = server;
    this.socket = socket;
    this.limits = limits;
    this.handler = handler;
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
      in = new HttpInput(socket.getInputStream());
      out = socket.getOutputStream();
      serve();
    } catch (IOException | RuntimeException gone) {
      // the client went away or the server is closing: nothing left to answer
    } finally {
      abort();
      server.forget(this);
    }
  }

  private void serve() throws IOException {
    while (!server.isClosed()) {
      long before = in.consumed();
      HttpRequest request;
      try {
        request = readRequest();
      } catch (HttpProtocolException e) {
        sendError(e.status(), e.getMessage());
        return;
      } catch (SocketTimeoutException e) {
        if (in.consumed() > before) {
          sendError(408, "request not complete within " + limits.idleTimeout().toMillis() + " ms");
        }
        return;
      }
      if (request == null) {
        return;
      }
      HttpExchange exchange = new HttpExchange(this, request);
      try {
        handler.handle(exchange);
      } catch (RuntimeException e) {
        if (!exchange.answered() && !exchange.connectionEnded()) {
          sendError(500, "simulator error: " + e);
        }
        return;
      }
      if (exchange.connectionEnded()) {
        return;
      }
      if (!exchange.answered()) {
        sendError(500, "simulator error: request not answered");
        return;
      }
      if (!request.keepAlive()) {
        return;
      }
    }
  }

  boolean serverClosing() {
    return server.isClosed();
  }

  private void sendError(int status, String message) throws IOException {
    byte[] body = handler.errorBody(status, message);
    write(head(status, Map.of("Content-Type", "application/json"), body.length, true), body);
  }

  void write(byte[] head, byte[] body) throws IOException {
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    out.write(all);
    out.flush();
  }

  void pause(Duration delay) throws IOException {
    try {
      if (server.awaitClosing(delay.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("simulator closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("simulator closed");
    }
  }

  void hang() {
    try {
      socket.setSoTimeout(0);
    } catch (IOException e) {
      return;
    }
    in.drainUntilClosed();
  }

  void closeGracefully() throws IOException {
    socket.shutdownOutput();
    socket.close();
  }

  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Closes the socket at once; safe from any thread, any number of times. */
  void abort() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  static byte[] head(int status, Map<String, String> headers, long contentLength, boolean close) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      checkHeaderText(h.getKey());
      checkHeaderText(h.getValue());
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    sb.append("Content-Length: ").append(contentLength).append("\r\n");
    if (close) {
      sb.append("Connection: close\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void checkHeaderText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c > 0xff) {
        throw new IllegalArgumentException("not allowed in a header: " + s);
      }
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }

  // ---- request parsing ----

  private HttpRequest readRequest() throws IOException, HttpProtocolException {
    String line;
    int blankLines = 0;
    do {
      line =
          in.readLine(
              limits.maxRequestLineBytes(),
              414,
              "request line longer than " + limits.maxRequestLineBytes() + " bytes");
      if (line == null) {
        return null;
      }
    } while (line.isEmpty() && ++blankLines <= 8);
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
      throw new HttpProtocolException(400, "malformed request line");
    }
    String method = line.substring(0, sp1);
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!isToken(method)) {
      throw new HttpProtocolException(400, "malformed method");
    }
    if (version.length() != 8
        || !version.startsWith("HTTP/")
        || !isDigit(version.charAt(5))
        || version.charAt(6) != '.'
        || !isDigit(version.charAt(7))) {
      throw new HttpProtocolException(400, "malformed HTTP version");
    }
    if (!version.startsWith("HTTP/1.")) {
      throw new HttpProtocolException(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    }
    String pathAndQuery = originForm(target);
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? null : pathAndQuery.substring(q + 1);

    List<String[]> headers = readHeaders();
    boolean keepAlive = "HTTP/1.1".equals(version);
    for (String[] h : headers) {
      if (h[0].equals("connection")) {
        for (String token : h[1].split(",")) {
          if (token.trim().equalsIgnoreCase("close")) {
            keepAlive = false;
          }
        }
      }
    }
    byte[] body = readBody(method, headers);
    return new HttpRequest(method, target, path, query, version, headers, body, keepAlive);
  }

  private static String originForm(String target) throws HttpProtocolException {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new HttpProtocolException(400, "malformed request target");
      }
    }
    if (target.startsWith("/")) {
      return target;
    }
    String lower = target.toLowerCase(Locale.ROOT);
    int start;
    if (lower.startsWith("http://")) {
      start = 7;
    } else if (lower.startsWith("https://")) {
      start = 8;
    } else if (target.equals("*")) {
      return target;
    } else {
      throw new HttpProtocolException(400, "malformed request target");
    }
    int slash = target.indexOf('/', start);
    return slash < 0 ? "/" : target.substring(slash);
  }

  private List<String[]> readHeaders() throws IOException, HttpProtocolException {
    List<String[]> headers = new ArrayList<>(12);
    int budget = limits.maxHeaderBytes();
    String tooLarge = "request headers larger than " + limits.maxHeaderBytes() + " bytes";
    while (true) {
      String line = in.readLine(Math.max(budget, 0) + 1, 431, tooLarge);
      if (line == null) {
        throw new EOFException("connection closed inside the headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      budget -= line.length() + 2;
      if (budget < 0) {
        throw new HttpProtocolException(431, tooLarge);
      }
      if (headers.size() >= limits.maxHeaderCount()) {
        throw new HttpProtocolException(
            431, "more than " + limits.maxHeaderCount() + " request headers");
      }
      headers.add(parseHeader(line));
    }
  }

  private static String[] parseHeader(String line) throws HttpProtocolException {
    if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
      throw new HttpProtocolException(400, "obsolete header line folding");
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.substring(0, colon))) {
      throw new HttpProtocolException(400, "malformed header line");
    }
    int start = colon + 1;
    int end = line.length();
    while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    String value = line.substring(start, end);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new HttpProtocolException(400, "control character in a header value");
      }
    }
    return new String[] {line.substring(0, colon).toLowerCase(Locale.ROOT), value};
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private byte[] readBody(String method, List<String[]> headers)
      throws IOException, HttpProtocolException {
    String transferEncoding = null;
    String contentLength = null;
    String expect = null;
    for (String[] h : headers) {
      switch (h[0]) {
        case "transfer-encoding" ->
            transferEncoding = transferEncoding == null ? h[1] : transferEncoding + "," + h[1];
        case "content-length" ->
            contentLength = contentLength == null ? h[1] : contentLength + "," + h[1];
        case "expect" -> expect = h[1];
        default -> {
          // other headers do not frame the body
        }
      }
    }
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      throw new HttpProtocolException(417, "unsupported Expect: " + expect);
    }
    if (transferEncoding != null) {
      if (contentLength != null) {
        throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length");
      }
      if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
        throw new HttpProtocolException(
            501, "unsupported Transfer-Encoding: " + transferEncoding);
      }
      continueIfExpected(expect);
      return readChunked();
    }
    if (contentLength != null) {
      long length = parseContentLength(contentLength);
      if (length > limits.maxBodyBytes()) {
        throw new HttpProtocolException(
            413, "body larger than " + limits.maxBodyBytes() + " bytes");
      }
      continueIfExpected(expect);
      byte[] body = new byte[(int) length];
      in.readFully(body, 0, body.length);
      return body;
    }
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      throw new HttpProtocolException(411, "Content-Length required");
    }
    return new byte[0];
  }

  private static long parseContentLength(String values) throws HttpProtocolException {
    long result = -1;
    for (String raw : values.split(",", -1)) {
      String v = raw.trim();
      if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new HttpProtocolException(400, "malformed Content-Length");
      }
      long n = Long.parseLong(v);
      if (result >= 0 && n != result) {
        throw new HttpProtocolException(400, "conflicting Content-Length values");
      }
      result = n;
    }
    return result;
  }

  private void continueIfExpected(String expect) throws IOException {
    if (expect != null) {
      out.write(CONTINUE);
      out.flush();
    }
  }

  private byte[] readChunked() throws IOException, HttpProtocolException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    long total = 0;
    while (true) {
      String sizeLine = in.readLine(256, 400, "chunk size line too long");
      if (sizeLine == null) {
        throw new EOFException("connection closed inside a chunked body");
      }
      int semi = sizeLine.indexOf(';');
      String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
      if (hex.isEmpty() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new HttpProtocolException(400, "malformed chunk size");
      }
      String digits = hex.replaceFirst("^0+(?=.)", "");
      if (digits.length() > 8) {
        throw new HttpProtocolException(
            413, "body larger than " + limits.maxBodyBytes() + " bytes");
      }
      long size = Long.parseLong(digits, 16);
      if (size == 0) {
        break;
      }
      total += size;
      if (total > limits.maxBodyBytes()) {
        throw new HttpProtocolException(
            413, "body larger than " + limits.maxBodyBytes() + " bytes");
      }
      byte[] chunk = new byte[(int) size];
      in.readFully(chunk, 0, chunk.length);
      body.write(chunk);
      String end = in.readLine(1, 400, "chunk longer than its declared size");
      if (end == null) {
        throw new EOFException("connection closed inside a chunked body");
      }
      if (!end.isEmpty()) {
        throw new HttpProtocolException(400, "chunk longer than its declared size");
      }
    }
    readHeaders(); // trailers, bounded like headers, then ignored
    return body.toByteArray();
  }
}
