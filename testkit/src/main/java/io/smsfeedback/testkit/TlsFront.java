package io.smsfeedback.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An {@code https} front for a {@link SmsApiSimulator} on 127.0.0.1, to test a client's TLS and
 * HTTP/2: Jetty 12 with a self-signed certificate made at start (the JDK's {@code keytool}, for
 * {@code 127.0.0.1} and {@code localhost}; nothing is downloaded), offering {@code h2} and {@code
 * http/1.1} by ALPN ({@link #start}) or only HTTP/1.1 ({@link #http11Only}). Each request is
 * forwarded, without blocking a thread, to the simulator over plain HTTP/1.1 and its answer
 * (status, {@code Content-Type}, {@code Retry-After}, body) relayed; faults and records stay the
 * simulator's. The front counts the requests per protocol ({@link #requestsByProtocol}) and the TLS
 * connections opened ({@link #connectionsOpened}).
 *
 * <p>Needs {@code org.eclipse.jetty:jetty-server}, {@code org.eclipse.jetty:jetty-alpn-java-server}
 * and {@code org.eclipse.jetty.http2:jetty-http2-server} (12.1) on the class path: optional
 * dependencies of the testkit. Clients trust its certificate through {@link #clientSslContext()}.
 */
public final class TlsFront implements AutoCloseable {

  /** Streams one HTTP/2 connection may carry at once: 100 (Jetty's default is 128). */
  public static final int MAX_CONCURRENT_STREAMS = 100;

  private static final String PASSWORD = "testkit";

  private final Server server;
  private final ServerConnector connector;
  private final SSLContext clientContext;
  private final URI target;
  private final HttpClient forward;
  private final Map<String, LongAdder> byProtocol = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  private TlsFront(SmsApiSimulator simulator, boolean h2) {
    this.target = simulator.baseUri();
    this.forward =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      KeyStore keys = selfSigned();
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      this.clientContext = SSLContext.getInstance("TLS");
      clientContext.init(null, trust.getTrustManagers(), null);

      QueuedThreadPool threads = new QueuedThreadPool(64, 4);
      threads.setName("testkit-tls-front");
      threads.setDaemon(true);
      this.server = new Server(threads);
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(keys);
      tls.setKeyStorePassword(PASSWORD);
      tls.setSniRequired(false);
      HttpConfiguration config = new HttpConfiguration();
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      config.addCustomizer(secure);
      HttpConnectionFactory http11 = new HttpConnectionFactory(config);
      if (h2) {
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
        http2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        connector =
            new ServerConnector(
                server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, http2, http11);
      } else {
        connector =
            new ServerConnector(server, new SslConnectionFactory(tls, http11.getProtocol()), http11);
      }
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      connector.addEventListener(
          new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
              if (connection instanceof SslConnection) {
                connections.incrementAndGet();
                open.add(connection);
              }
            }

            @Override
            public void onClosed(Connection connection) {
              open.remove(connection);
            }
          });
      server.addConnector(connector);
      server.setHandler(new Forward());
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the TLS front did not start: " + e, e);
    }
  }

  /** A front offering HTTP/2 and HTTP/1.1 (ALPN) for {@code simulator}; close it when done. */
  public static TlsFront start(SmsApiSimulator simulator) {
    return new TlsFront(simulator, true);
  }

  /** A front offering only HTTP/1.1 over TLS (no ALPN): a client must fall back to it. */
  public static TlsFront http11Only(SmsApiSimulator simulator) {
    return new TlsFront(simulator, false);
  }

  /** {@code https://127.0.0.1:<port>}: the base URL to give the client. */
  public URI baseUri() {
    return URI.create("https://127.0.0.1:" + connector.getLocalPort());
  }

  /** A TLS context that trusts this front's certificate (and nothing else). */
  public SSLContext clientSslContext() {
    return clientContext;
  }

  /** Requests served so far per protocol ({@code HTTP/2.0}, {@code HTTP/1.1}), sorted. */
  public Map<String, Long> requestsByProtocol() {
    Map<String, Long> out = new TreeMap<>();
    byProtocol.forEach((protocol, n) -> out.put(protocol, n.sum()));
    return out;
  }

  /** TLS connections accepted so far. */
  public int connectionsOpened() {
    return connections.get();
  }

  /** TLS connections open now. */
  public int connectionsOpen() {
    return open.size();
  }

  /**
   * Closes every open connection at once, as a restarting load balancer or a broken network path
   * would: requests in flight on them get no answer. The front keeps accepting new connections.
   */
  public void dropConnections() {
    for (Connection c : List.copyOf(open)) {
      c.close();
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the TLS front did not stop: " + e, e);
    }
  }

  /** Relays each request to the simulator; completes Jetty's callback when the answer came. */
  private final class Forward extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      byProtocol
          .computeIfAbsent(
              request.getConnectionMetaData().getHttpVersion().asString(), p -> new LongAdder())
          .increment();
      Promise.Completable<String> body = new Promise.Completable<>();
      Content.Source.asString(request, StandardCharsets.UTF_8, body);
      body.thenCompose(text -> relay(request, text.getBytes(StandardCharsets.UTF_8)))
          .whenComplete(
              (answer, error) -> {
                if (error != null) {
                  Response.writeError(request, response, callback, 502, String.valueOf(error));
                  return;
                }
                response.setStatus(answer.statusCode());
                answer
                    .headers()
                    .firstValue("Content-Type")
                    .ifPresent(v -> response.getHeaders().put(HttpHeader.CONTENT_TYPE, v));
                answer
                    .headers()
                    .firstValue("Retry-After")
                    .ifPresent(v -> response.getHeaders().put(HttpHeader.RETRY_AFTER, v));
                response.write(true, ByteBuffer.wrap(answer.body()), callback);
              });
      return true;
    }

    private CompletableFuture<HttpResponse<byte[]>> relay(
        Request request, byte[] bytes) {
      String query = request.getHttpURI().getQuery();
      URI uri =
          target.resolve(request.getHttpURI().getPath() + (query == null ? "" : "?" + query));
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(60))
              .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(bytes));
      for (String name : new String[] {"Authorization", "Content-Type", "Accept", "User-Agent"}) {
        String value = request.getHeaders().get(name);
        if (value != null) {
          b.header(name, value);
        }
      }
      return forward.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  /** A PKCS#12 key store with a fresh self-signed EC certificate for 127.0.0.1 and localhost. */
  private static KeyStore selfSigned() throws IOException, GeneralSecurityException, InterruptedException {
    Path dir = Files.createTempDirectory("testkit-tls");
    Path file = dir.resolve("front.p12");
    try {
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p =
          new ProcessBuilder(
                  keytool.toString(), "-genkeypair", "-alias", "front", "-keyalg", "EC",
                  "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                  "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                  "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
              .redirectErrorStream(true)
              .start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      return keys;
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }
}
