package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testing.LoopbackSettings;
import io.smsfeedback.testing.StuckPort;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.RecordedRequest;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default transport over real loopback HTTP against the 8x8 simulator.
 *
 * <p>Sends that expect an answer get generous timeouts (a loaded CI machine must not turn an answer
 * into a timeout). Tests of a timeout make the server never answer (a hang, or a latency that only
 * ends when the simulator closes), use a short timeout, and bound the wait far below what would
 * mean "not enforced" ({@link #SLACK}), so scheduling delays cannot fail them.
 */
class HttpClientTransportIT {

  static final String KEY = "it-key-0123456789abcdefWXYZ";
  /** For sends that expect an answer. */
  static final Duration ANSWER = Duration.ofSeconds(10);
  /** For sends that must be cut short. */
  static final Duration SHORT = Duration.ofMillis(300);
  /** What a cut-short send may take beyond its timeout: far below the waits it must not do. */
  static final Duration SLACK = Duration.ofSeconds(4);
  /** Longer than any of these tests: a latency this long is an answer that never comes. */
  static final Duration NEVER = Duration.ofMinutes(5);

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  SmsApiSimulator sim;
  FeedbackTransport transport;

  static FeedbackSettings settings(URI baseUrl, String key) {
    return settingsBuilder(baseUrl, key).build();
  }

  static FeedbackSettings.Builder settingsBuilder(URI baseUrl, String key) {
    return LoopbackSettings.of(baseUrl, key);
  }

  static Feedback feedback() {
    Instant now = Instant.now();
    return new Feedback(new SentOtp("acme-otp", UUID.randomUUID(), now.minusSeconds(3)), Outcome.SUCCESS, now);
  }

  @BeforeEach
  void start() {
    sim = extension.simulator();
    transport = HttpClientTransport.create(settings(sim.baseUri(), KEY), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    transport.close();
  }

  static FeedbackTransport transport(FeedbackSettings.Builder settings) {
    return HttpClientTransport.create(settings.build(), Clock.systemUTC());
  }

  /** A retryable failure without an HTTP answer (a timeout, a refused or broken connection). */
  static void assertNoAnswer(TransportResult r) {
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.status()).isZero();
    assertThat(r.ioError()).isNotBlank();
  }

  TransportResult send(Feedback f) throws Exception {
    return send(transport, f, ANSWER);
  }

  /** Sends and waits; fails if the result takes longer than {@code timeout} plus {@link #SLACK}. */
  static TransportResult send(FeedbackTransport t, Feedback f, Duration timeout) throws Exception {
    return send(t, f, timeout, timeout);
  }

  /**
   * Sends with {@code timeout} and waits; fails if the result takes longer than {@code bound} plus
   * {@link #SLACK} (a bound below the timeout: a setting must cut the attempt first).
   */
  static TransportResult send(FeedbackTransport t, Feedback f, Duration timeout, Duration bound)
      throws Exception {
    long start = System.nanoTime();
    CompletableFuture<TransportResult> result = t.send(f, timeout);
    TransportResult r;
    try {
      r = result.get(bound.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + bound.plus(SLACK), e);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the result is there within %s plus the slack", bound)
        .isLessThan(bound.plus(SLACK));
    return r;
  }

  @Test
  void send_postsExactlyTheDocumentedRequest() throws Exception {
    UUID umid = UUID.randomUUID();
    Feedback f =
        new Feedback(
            new SentOtp("acme-otp", umid, Instant.parse("2026-01-01T00:00:00Z")),
            Outcome.SUCCESS,
            Instant.parse("2026-01-01T00:00:05.123456Z"));

    TransportResult r = send(f);

    assertThat(r).isEqualTo(TransportResult.delivered(200));
    RecordedRequest req = sim.requestsFor(umid).get(0);
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.target()).isEqualTo("/api/v1/subaccounts/acme-otp/messages/" + umid + "/feedback");
    assertThat(req.header("authorization")).contains("Bearer " + KEY);
    assertThat(req.header("content-type")).contains("application/json");
    assertThat(req.header("user-agent")).contains(HttpClientTransport.userAgent());
    assertThat(HttpClientTransport.userAgent()).startsWith("sms-feedback-java/0.");
    assertThat(req.bodyText())
        .isEqualTo("{\"outcome\":\"success\",\"timestamp\":\"2026-01-01T00:00:05.123Z\"}");
    assertThat(req.verdict()).isEqualTo(RecordedRequest.Verdict.ACCEPTED);
    assertThat(sim.receivedFeedback(umid)).singleElement().satisfies(rf -> {
      assertThat(rf.outcome()).isEqualTo("success");
      assertThat(rf.timestamp()).isEqualTo("2026-01-01T00:00:05.123Z");
      assertThat(rf.subAccountId()).isEqualTo("acme-otp");
    });
  }

  @Test
  void send_encodesTheSubaccountSegment() throws Exception {
    UUID umid = UUID.randomUUID();
    Instant now = Instant.now();
    send(new Feedback(new SentOtp("a.b_c-d&e", umid, now), Outcome.FAILURE, now));
    RecordedRequest req = sim.requestsFor(umid).get(0);
    assertThat(req.subAccountId()).isEqualTo("a.b_c-d&e");
    assertThat(req.outcome()).isEqualTo("failure");
    assertThat(sim.receivedFeedback(umid)).hasSize(1);
  }

  @Test
  void badRequest_isRejectedWithEightByEightsErrorDetails() throws Exception {
    sim.enqueueStatuses(400);
    TransportResult r = send(feedback());
    assertThat(r.isRejected()).isTrue();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isNotNull();
    assertThat(r.errorId()).isNotBlank();
    assertThat(r.errorMessage()).isNotBlank();
  }

  @Test
  void wrongKey_isRejected401_andTheKeyIsNotInTheResult() throws Exception {
    try (FeedbackTransport wrong =
        HttpClientTransport.create(settings(sim.baseUri(), "wrong-key-0123456789"), Clock.systemUTC())) {
      TransportResult r = send(wrong, feedback(), ANSWER);
      assertThat(r.isRejected()).isTrue();
      assertThat(r.isAuthFailure()).isTrue();
      assertThat(r.errorCode()).isEqualTo(1200);
      assertThat(r.toString()).doesNotContain("wrong-key-0123456789");
    }
  }

  @Test
  void serverErrors_areRetryable() throws Exception {
    sim.enqueueStatuses(500, 502, 503, 504);
    for (int status : new int[] {500, 502, 503, 504}) {
      TransportResult r = send(feedback());
      assertThat(r.isRetryable()).isTrue();
      assertThat(r.status()).isEqualTo(status);
    }
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void tooManyRequests_carriesRetryAfterInSecondsOrAsADate() throws Exception {
    sim.enqueueFaults(
        Fault.tooManyRequests(Duration.ofSeconds(7)),
        Fault.tooManyRequests(Instant.now().plusSeconds(30)),
        Fault.status(503).withHeader("Retry-After", "whenever"));
    TransportResult seconds = send(feedback());
    assertThat(seconds.status()).isEqualTo(429);
    assertThat(seconds.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    TransportResult date = send(feedback());
    assertThat(date.retryAfter()).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(31));
    TransportResult malformed = send(feedback());
    assertThat(malformed.isRetryable()).isTrue();
    assertThat(malformed.retryAfter()).isNull();
  }

  @Test
  void slowerThanTheTimeout_isARetryableTimeout_andTheNextSendGetsAFreshConnection()
      throws Exception {
    try (FeedbackTransport one =
        transport(settingsBuilder(sim.baseUri(), KEY).maxConcurrentRequests(1))) {
      sim.enqueueFaults(Fault.latency(NEVER));
      TransportResult r = send(one, feedback(), SHORT);
      assertNoAnswer(r);
      // the one pooled connection was closed with the attempt: the next attempt is not stuck behind
      assertThat(send(one, feedback(), ANSWER).isDelivered()).isTrue();
    }
  }

  @Test
  void hangingServer_isCutAtTheGivenTimeout() throws Exception {
    sim.hangAll();
    TransportResult r = send(transport, feedback(), SHORT);
    assertNoAnswer(r);
  }

  @Test
  void responseTimeoutSetting_boundsAnAttemptGivenMoreTime() throws Exception {
    try (FeedbackTransport quick =
        transport(settingsBuilder(sim.baseUri(), KEY).responseTimeout(SHORT))) {
      sim.hangAll();
      TransportResult r = send(quick, feedback(), NEVER, SHORT);
      assertNoAnswer(r);
    }
  }

  @Test
  void cancel_abortsTheExchangeAndFreesItsConnection() throws Exception {
    try (FeedbackTransport one =
        transport(settingsBuilder(sim.baseUri(), KEY).maxConcurrentRequests(1).responseTimeout(NEVER))) {
      sim.enqueueFaults(Fault.hang());
      CompletableFuture<TransportResult> hung = one.send(feedback(), NEVER);
      await().atMost(ANSWER).until(() -> sim.feedbackRequests().size() == 1);

      hung.cancel(true);

      // the only connection the pool may have was held by the hung exchange: only if the cancel
      // closed it can this send get a connection before its timeout
      assertThat(send(one, feedback(), ANSWER).isDelivered()).isTrue();
      assertThat(hung).isCancelled();
    }
  }

  @Test
  void connectionClosedBeforeTheAnswer_isRetryable() throws Exception {
    sim.enqueueFaults(Fault.closeBeforeAnswer());
    TransportResult r = send(feedback());
    assertNoAnswer(r);
  }

  @Test
  void resetMidBodyOfA200_countsAsDelivered() throws Exception {
    sim.enqueueFaults(Fault.resetMidBody());
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void malformedOrTruncated200Body_countsAsDelivered() throws Exception {
    sim.enqueueFaults(Fault.malformedBody(), Fault.wrongContentLength());
    assertThat(send(feedback()).isDelivered()).isTrue();
    assertThat(send(feedback()).isDelivered()).isTrue();
  }

  @Test
  void portThatNeverAccepts_isARetryableConnectTimeout_boundedByTheSetting() throws Exception {
    try (StuckPort stuck = StuckPort.open();
        FeedbackTransport t =
            transport(settingsBuilder(stuck.baseUrl(), KEY).connectTimeout(SHORT))) {
      TransportResult r = send(t, feedback(), NEVER, SHORT);
      assertNoAnswer(r);
    }
  }

  @Test
  void httpsBaseUrl_deliversOverTls_toAServerItsTrustStoreVouchesFor() throws Exception {
    char[] password = "changeit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = resource("loopback-server.p12")) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    Path trust = Files.createTempFile("loopback-trust", ".p12");
    Map<String, String> saved = new HashMap<>();
    try (InputStream in = resource("loopback-trust.p12");
        SSLServerSocket server =
            (SSLServerSocket)
                tls.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Files.copy(in, trust, StandardCopyOption.REPLACE_EXISTING);
      // the JDK's default trust store, which the transport uses, is read from these properties
      setProperty(saved, "javax.net.ssl.trustStore", trust.toString());
      setProperty(saved, "javax.net.ssl.trustStoreType", "PKCS12");
      setProperty(saved, "javax.net.ssl.trustStorePassword", "changeit");
      try (FeedbackTransport t =
          HttpClientTransport.create(
              settings(URI.create("https://127.0.0.1:" + server.getLocalPort()), KEY),
              Clock.systemUTC())) {
        CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> answerOnce(server));
        UUID umid = UUID.randomUUID();
        Instant now = Instant.now();

        TransportResult r = send(t, new Feedback(new SentOtp("acme-otp", umid, now), Outcome.SUCCESS, now), ANSWER);

        assertThat(r.isDelivered()).isTrue();
        assertThat(head.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS))
            .startsWith("POST /api/v1/subaccounts/acme-otp/messages/" + umid + "/feedback HTTP/1.1\r\n")
            .contains("Authorization: Bearer " + KEY + "\r\n");
      }
    } finally {
      saved.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
      Files.deleteIfExists(trust);
    }
  }

  static InputStream resource(String name) {
    return Objects.requireNonNull(HttpClientTransportIT.class.getResourceAsStream("/tls/" + name), name);
  }

  static void setProperty(Map<String, String> saved, String key, String value) {
    saved.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** Reads one request over TLS, answers 200 with no body, and returns the request head. */
  static String answerOnce(SSLServerSocket server) {
    try (Socket s = server.accept()) {
      s.setSoTimeout((int) ANSWER.toMillis());
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IllegalStateException("closed before the end of the head: " + head);
        }
        head.append((char) b);
      }
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
      s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return head.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void httpsBaseUrl_startsWithATlsHandshake_andAnUnverifiedServerIsARetryableFailure()
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        FeedbackTransport t =
            HttpClientTransport.create(
                settings(URI.create("https://127.0.0.1:" + server.getLocalPort()), KEY),
                Clock.systemUTC())) {
      CompletableFuture<TransportResult> result = t.send(feedback(), ANSWER);
      byte[] first = new byte[64];
      int n;
      try (Socket s = server.accept()) {
        s.setSoTimeout((int) ANSWER.toMillis());
        n = s.getInputStream().readNBytes(first, 0, first.length);
      } // closed without a handshake answer
      assertThat(n).isPositive();
      assertThat(first[0]).as("a TLS handshake record, not plain HTTP").isEqualTo((byte) 0x16);
      assertThat(new String(first, 0, n, StandardCharsets.ISO_8859_1)).doesNotContain(KEY);
      TransportResult r = result.get(ANSWER.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      assertNoAnswer(r);
    }
  }
}
