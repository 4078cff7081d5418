package io.smsfeedback.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small blocking HTTP/1.1 server: one acceptor thread, one pooled worker thread per open
 * connection (threads are reused across connections, never created per request), keep-alive,
 * {@code Content-Length} and chunked request bodies, bounded sizes. Worker threads are daemons.
 */
public final class LoopbackHttpServer implements AutoCloseable {

  private final ServerSocket serverSocket;
  private final HttpLimits limits;
  private final HttpHandler handler;
  private final ThreadPoolExecutor workers;
  private final Thread acceptor;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closing = new CountDownLatch(1);

  private LoopbackHttpServer(
      ServerSocket serverSocket, HttpLimits limits, HttpHandler handler, String name) {
    this.serverSocket = serverSocket;
    this.limits = limits;
    this.handler = handler;
    this.workers =
        new ThreadPoolExecutor(
            0,
            limits.maxConnections(),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads(name + "-conn-"));
    this.acceptor = daemonThreads(name + "-acceptor-").newThread(this::acceptLoop);
  }

  /**
   * Binds and starts serving.
   *
   * @param address the address to bind (the simulator passes a loopback address)
   * @param port the port, 0 for a free one
   * @param name a prefix for thread names
   * @throws IOException when the address cannot be bound (e.g. the port is taken)
   */
  public static LoopbackHttpServer start(
      InetAddress address, int port, HttpLimits limits, HttpHandler handler, String name)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port), 1024);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    LoopbackHttpServer server = new LoopbackHttpServer(socket, limits, handler, name);
    server.acceptor.start();
    return server;
  }

  /** The bound port. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** The bound address. */
  public InetAddress address() {
    return serverSocket.getInetAddress();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** How many connections are open right now. */
  public int openConnections() {
    return connections.size();
  }

  boolean awaitClosing(long time, TimeUnit unit) throws InterruptedException {
    return closing.await(time, unit);
  }

  void forget(HttpConnection connection) {
    connections.remove(connection);
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (closed.get()) {
          return;
        }
        backOffAfterAcceptFailure();
        continue;
      }
      HttpConnection connection = new HttpConnection(this, socket, limits, handler);
      connections.add(connection);
      if (closed.get()) {
        connection.abort();
        return;
      }
      try {
        workers.execute(connection);
      } catch (RejectedExecutionException busy) {
        connections.remove(connection);
        refuse(socket);
      }
    }
  }

  private void backOffAfterAcceptFailure() {
    try {
      closing.await(10, TimeUnit.MILLISECONDS); // e.g. out of file descriptors: do not spin
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void refuse(Socket socket) {
    try (socket) {
      byte[] body = handler.errorBody(503, "too many connections");
      byte[] head =
          HttpConnection.head(503, Map.of("Content-Type", "application/json"), body.length, true);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write(body);
      out.flush();
    } catch (IOException ignored) {
      // the client is gone already
    }
  }

  /**
   * Stops accepting, drops every open connection (hung ones included) and waits briefly for the
   * worker threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (HttpConnection connection : connections) {
      connection.abort();
    }
    workers.shutdownNow();
    try {
      acceptor.join(2000);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
