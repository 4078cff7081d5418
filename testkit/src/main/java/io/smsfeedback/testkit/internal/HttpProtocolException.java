package io.smsfeedback.testkit.internal;

/** A request the server cannot parse or accept; answered with {@link #status()} and then closed. */
final class HttpProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the 4xx/5xx status to answer
   * @param message what was wrong, sent to the client in the error body
   */
  public HttpProtocolException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The status to answer with. */
  public int status() {
    return status;
  }
}
