package io.smsfeedback.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that never accepts: a {@link ServerSocket} on 127.0.0.1 with a backlog of 1,
 * filled with raw connections that are never {@code accept()}ed, so a further connect attempt
 * waits until it times out. Never an outside address.
 */
public final class StuckPort implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> fillers;

  private StuckPort(ServerSocket server, List<Socket> fillers) {
    this.server = server;
    this.fillers = fillers;
  }

  /** Opens the port and fills its backlog; fails if a connect would still succeed. */
  public static StuckPort open() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    List<Socket> fillers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      try {
        s.connect(server.getLocalSocketAddress(), 200);
        fillers.add(s);
      } catch (SocketTimeoutException e) {
        s.close();
        return new StuckPort(server, fillers); // the backlog is full: connects now hang
      }
    }
    for (Socket s : fillers) {
      s.close();
    }
    server.close();
    throw new IllegalStateException("could not fill the backlog of a loopback listener");
  }

  public int port() {
    return server.getLocalPort();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() throws IOException {
    for (Socket s : fillers) {
      s.close();
    }
    server.close();
  }
}
