package io.smsfeedback.testkit.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * One request and the ways to answer it, including the faulty ones that act on the socket itself.
 * Used by one thread; each answering method may be called once, and after a method that ends the
 * connection nothing more is sent.
 */
public final class HttpExchange {

  private final HttpConnection connection;
  private final HttpRequest request;
  private boolean answered;
  private boolean connectionEnded;

  HttpExchange(HttpConnection connection, HttpRequest request) {
    this.connection = connection;
    this.request = request;
  }

  /** The request. */
  public HttpRequest request() {
    return request;
  }

  boolean answered() {
    return answered;
  }

  boolean connectionEnded() {
    return connectionEnded;
  }

  private void begin() {
    if (answered || connectionEnded) {
      throw new IllegalStateException("already answered");
    }
  }

  /**
   * Sends a complete response with a {@code Content-Length}; keeps the connection open when the
   * client allows it. The body is left out (its length still declared) for {@code HEAD}.
   */
  public void respond(int status, Map<String, String> headers, byte[] body) throws IOException {
    begin();
    answered = true;
    boolean close = !request.keepAlive() || connection.serverClosing();
    byte[] head = HttpConnection.head(status, headers, body.length, close);
    connection.write(head, "HEAD".equals(request.method()) ? new byte[0] : body);
    if (close) {
      connectionEnded = true;
    }
  }

  /**
   * Waits, without holding anything other connections need.
   *
   * @throws IOException when the server closes meanwhile (the connection is then dropped)
   */
  public void pause(Duration delay) throws IOException {
    connection.pause(delay);
  }

  /**
   * Sends nothing and keeps the connection open, discarding whatever the client sends, until the
   * client gives up or the server closes.
   */
  public void hang() {
    begin();
    connectionEnded = true;
    connection.hang();
  }

  /** Closes the connection (FIN) without sending a byte. */
  public void closeWithoutAnswer() throws IOException {
    begin();
    connectionEnded = true;
    connection.closeGracefully();
  }

  /**
   * Sends the head with the body's full {@code Content-Length}, then half the body, then resets
   * the connection (RST, through {@code SO_LINGER 0}).
   */
  public void resetMidBody(int status, Map<String, String> headers, byte[] body)
      throws IOException {
    begin();
    connectionEnded = true;
    byte[] head = HttpConnection.head(status, headers, body.length, false);
    byte[] half = new byte[body.length / 2];
    System.arraycopy(body, 0, half, 0, half.length);
    connection.write(head, half);
    connection.reset();
  }

  /**
   * Sends a head that declares {@code declaredLength} body bytes, then the body as given (a
   * different length), then closes the connection (FIN).
   */
  public void respondWithContentLength(
      int status, Map<String, String> headers, byte[] body, long declaredLength)
      throws IOException {
    begin();
    connectionEnded = true;
    byte[] head = HttpConnection.head(status, headers, declaredLength, true);
    connection.write(head, body);
    connection.closeGracefully();
  }
}
