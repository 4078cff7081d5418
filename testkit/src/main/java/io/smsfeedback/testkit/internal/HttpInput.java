package io.smsfeedback.testkit.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A buffered reader of HTTP/1.1 framing: bounded lines, exact-length bodies. Not thread-safe. */
final class HttpInput {

  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private byte[] line = new byte[256];
  private int pos;
  private int limit;
  private long consumed;

  HttpInput(InputStream in) {
    this.in = in;
  }

  /** Total bytes consumed so far on this connection. */
  long consumed() {
    return consumed;
  }

  /** Whether bytes already received are waiting in the buffer (a pipelined request). */
  boolean hasBuffered() {
    return pos < limit;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /**
   * Reads one line ended by LF (a CR before it is dropped), as ISO-8859-1.
   *
   * @param max the most bytes the line may hold, without its end
   * @param tooLongStatus the status to fail with when it holds more
   * @return the line, or null when the stream ended before its first byte
   */
  String readLine(int max, int tooLongStatus, String tooLongMessage)
      throws IOException, HttpProtocolException {
    int len = 0;
    while (true) {
      if (pos == limit && !fill()) {
        if (len == 0) {
          return null;
        }
        throw new EOFException("connection closed in the middle of a line");
      }
      byte b = buf[pos++];
      consumed++;
      if (b == '\n') {
        if (len > 0 && line[len - 1] == '\r') {
          len--;
        }
        return new String(line, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (len >= max) {
        throw new HttpProtocolException(tooLongStatus, tooLongMessage);
      }
      if (len == line.length) {
        byte[] bigger = new byte[Math.min(Math.max(max + 1, 16), line.length * 2)];
        System.arraycopy(line, 0, bigger, 0, len);
        line = bigger;
      }
      line[len++] = b;
    }
  }

  /** Reads exactly {@code n} bytes into {@code dst} at {@code off}; EOF before that is an error. */
  void readFully(byte[] dst, int off, int n) throws IOException {
    int done = 0;
    while (done < n) {
      if (pos == limit && !fill()) {
        throw new EOFException("connection closed after " + done + " of " + n + " body bytes");
      }
      int chunk = Math.min(n - done, limit - pos);
      System.arraycopy(buf, pos, dst, off + done, chunk);
      pos += chunk;
      consumed += chunk;
      done += chunk;
    }
  }

  /** Reads and discards everything until the peer closes or the socket fails. */
  void drainUntilClosed() {
    pos = limit;
    try {
      while (fill()) {
        pos = limit;
      }
    } catch (IOException closed) {
      // the simulator closed the socket, or the client reset it: either way the hang is over
    }
  }
}
