package io.smsfeedback.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leanest keep-alive client we could write, to find the responder's own limit: hand-written
 * HTTP/1.1 over raw sockets, {@code connections} keep-alive connections, each with a writer thread
 * that pipelines up to {@code window} requests ahead of a reader thread that parses the answers
 * (status line, headers, {@code Content-Length} body). Requests are built before the clock starts.
 */
final class LeanClient {

  record Result(long ok, long failed, long nanos) {
    double perSecond() {
      return (ok + failed) * 1e9 / nanos;
    }
  }

  private LeanClient() {}

  /** Builds {@code n} feedback requests for distinct umids. */
  static byte[][] requests(int port, String apiKey, String subAccount, long seed, int n) {
    byte[][] requests = new byte[n][];
    String body = "{\"outcome\":\"success\",\"timestamp\":\"2026-01-01T00:00:05.123Z\"}";
    for (int i = 0; i < n; i++) {
      UUID umid = new UUID((seed << 16) | 0x4000L, 0x8000_0000_0000_0000L | i);
      String request =
          "POST /api/v1/subaccounts/"
              + subAccount
              + "/messages/"
              + umid
              + "/feedback HTTP/1.1\r\n"
              + "Host: 127.0.0.1:"
              + port
              + "\r\nAuthorization: Bearer "
              + apiKey
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body;
      requests[i] = request.getBytes(StandardCharsets.ISO_8859_1);
    }
    return requests;
  }

  /** Sends every request once, over {@code connections} connections, and waits for every answer. */
  static Result run(int port, byte[][] requests, int connections, int window, long timeoutMillis)
      throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout((int) timeoutMillis);
      sockets.add(socket);
    }
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      Socket socket = sockets.get(c);
      int from = (int) ((long) requests.length * c / connections);
      int to = (int) ((long) requests.length * (c + 1) / connections);
      Semaphore permits = new Semaphore(window);
      Thread writer =
          new Thread(
              () -> write(socket, requests, from, to, permits, timeoutMillis), "lean-writer-" + c);
      Thread reader =
          new Thread(() -> read(socket, to - from, permits, ok, failed), "lean-reader-" + c);
      writer.setDaemon(true);
      reader.setDaemon(true);
      threads.add(writer);
      threads.add(reader);
      writer.start();
      reader.start();
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    for (Thread t : threads) {
      t.join(Math.max(1, deadline - System.currentTimeMillis()));
    }
    long nanos = System.nanoTime() - start;
    for (Socket s : sockets) {
      s.close();
    }
    long answered = ok.get() + failed.get();
    return new Result(ok.get(), failed.get() + (requests.length - answered), nanos);
  }

  private static void write(
      Socket socket, byte[][] requests, int from, int to, Semaphore permits, long timeoutMillis) {
    try {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      for (int i = from; i < to; i++) {
        if (!permits.tryAcquire()) {
          out.flush();
          if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
        out.write(requests[i]);
      }
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the reader counts what is missing
    }
  }

  private static void read(
      Socket socket, int expected, Semaphore permits, AtomicLong ok, AtomicLong failed) {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      byte[] line = new byte[8192];
      for (int i = 0; i < expected; i++) {
        int n = readLine(in, line);
        if (n < 12) {
          return;
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long length = 0;
        while ((n = readLine(in, line)) > 0) {
          if (n > 15 && startsWithIgnoreCase(line, "content-length:")) {
            length = Long.parseLong(new String(line, 15, n - 15, StandardCharsets.ISO_8859_1).trim());
          }
        }
        if (n < 0) {
          return;
        }
        in.skipNBytes(length);
        (status == 200 ? ok : failed).incrementAndGet();
        permits.release();
      }
    } catch (IOException | RuntimeException e) {
      // counted as missing
    }
  }

  /** Reads one line without its CRLF; returns its length, or -1 at the end of the stream. */
  private static int readLine(InputStream in, byte[] buffer) throws IOException {
    int n = 0;
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return n > 0 && buffer[n - 1] == '\r' ? n - 1 : n;
      }
      if (n < buffer.length) {
        buffer[n++] = (byte) b;
      }
    }
    return -1;
  }

  private static boolean startsWithIgnoreCase(byte[] line, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
