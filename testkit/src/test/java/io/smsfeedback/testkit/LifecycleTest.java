package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Starting, addressing and closing. */
class LifecycleTest {

  @Test
  void start_bindsAFreeLoopbackPort_andGivesItsBaseUrl() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.start()) {
      assertThat(sim.port()).isPositive();
      assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
      assertThat(sim.baseUri()).isEqualTo(URI.create(sim.baseUrl()));
      assertThat(sim.apiKey()).isEqualTo(SmsApiSimulator.DEFAULT_API_KEY);
      assertThat(sim.isRunning()).isTrue();
      assertThat(sim).hasToString("SmsApiSimulator[" + sim.baseUrl() + "]");
      assertThat(TestHttp.success(sim, UUID.randomUUID()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void start_onAGivenPort() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (SmsApiSimulator sim = SmsApiSimulator.builder().port(port).build()) {
      assertThat(sim.port()).isEqualTo(port);
      assertThat(TestHttp.success(sim, UUID.randomUUID()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void portInUse_failsWithTheAddressInTheMessage() {
    try (SmsApiSimulator first = SmsApiSimulator.start()) {
      assertThatThrownBy(() -> SmsApiSimulator.builder().port(first.port()).build())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + first.port());
    }
  }

  @Test
  void bindsLoopback127001Only_notTheWildcardAddress() throws Exception {
    InetAddress otherLoopback = InetAddress.getByName("127.0.0.2");
    try (ServerSocket probe = new ServerSocket(0, 1, otherLoopback)) {
      assumeTrue(probe.getLocalPort() > 0, "127.0.0.2 is bindable here");
    } catch (IOException e) {
      assumeTrue(false, "127.0.0.2 is not bindable here: " + e);
    }
    try (SmsApiSimulator sim = SmsApiSimulator.start();
        // would fail with "address in use" if the simulator listened on 0.0.0.0
        ServerSocket sameport = new ServerSocket(sim.port(), 1, otherLoopback)) {
      assertThat(sameport.getLocalPort()).isEqualTo(sim.port());
    }
  }

  @Test
  void close_refusesNewConnections_andIsIdempotent() throws Exception {
    SmsApiSimulator sim = SmsApiSimulator.start();
    int port = sim.port();

    sim.close();
    sim.close();

    assertThat(sim.isRunning()).isFalse();
    assertThat(sim).hasToString("SmsApiSimulator[http://127.0.0.1:" + port + ", closed]");
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void close_dropsOpenAndHungConnections_promptly() throws Exception {
    SmsApiSimulator sim = SmsApiSimulator.start();
    sim.hangAll();
    try (Socket idle = TestHttp.socket(sim);
        Socket hung = TestHttp.socket(sim)) {
      TestHttp.write(hung, TestHttp.rawFeedback(UUID.randomUUID(), "{\"outcome\":\"success\"}"));
      assertThat(sim.await(() -> sim.requests().size() == 1, Duration.ofSeconds(5))).isTrue();
      long start = System.nanoTime();

      sim.close();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(readEnd(idle)).isTrue();
      assertThat(readEnd(hung)).isTrue();
    }
  }

  /** Whether the peer closed or reset the connection (as opposed to answering or timing out). */
  private static boolean readEnd(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void closeDuringLatency_endsTheWaitingRequest() throws Exception {
    SmsApiSimulator sim = SmsApiSimulator.start();
    sim.enqueueFaults(Fault.latency(Duration.ofSeconds(30)));
    try (Socket socket = TestHttp.socket(sim)) {
      TestHttp.write(socket, TestHttp.rawFeedback(UUID.randomUUID(), "{\"outcome\":\"success\"}"));
      await().atMost(Duration.ofSeconds(5)).until(() -> sim.pendingFaults() == 0);
      long start = System.nanoTime();
      sim.close();
      assertThat(readEnd(socket)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void clock_stampsArrivalTimes() throws Exception {
    Instant fixed = Instant.parse("2030-01-02T03:04:05Z");
    try (SmsApiSimulator sim =
        SmsApiSimulator.builder().clock(Clock.fixed(fixed, ZoneOffset.UTC)).build()) {
      UUID umid = UUID.randomUUID();
      TestHttp.success(sim, umid);
      TestHttp.feedback(sim, umid, "{}");

      assertThat(sim.receivedFeedback(umid).get(0).receivedAt()).isEqualTo(fixed);
      assertThat(sim.requests().get(1).receivedAt()).isEqualTo(fixed);
    }
  }

  @Test
  void builder_refusesInvalidSettings_namingThem() {
    SmsApiSimulator.Builder b = SmsApiSimulator.builder();
    assertThatThrownBy(() -> b.port(-1)).hasMessageContaining("port").hasMessageContaining("-1");
    assertThatThrownBy(() -> b.port(65536)).hasMessageContaining("port");
    assertThatThrownBy(() -> b.apiKey("")).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> b.apiKey("a b")).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> b.maxRecordedRequests(0)).hasMessageContaining("maxRecordedRequests");
    assertThatThrownBy(() -> b.maxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> b.maxHeaderBytes(10)).hasMessageContaining("maxHeaderBytes");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.maxConnections(0)).hasMessageContaining("maxConnections");
  }

  @Test
  void connectionsBeyondTheLimit_areAnswered503() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxConnections(1).build();
        Socket first = TestHttp.socket(sim)) {
      TestHttp.write(first, TestHttp.rawFeedback(UUID.randomUUID(), "{\"outcome\":\"success\"}"));
      assertThat(TestHttp.read(first).status()).isEqualTo(200); // first holds the only worker

      TestHttp.Raw second =
          TestHttp.exchange(
              sim, TestHttp.rawFeedback(UUID.randomUUID(), "{\"outcome\":\"success\"}"));

      assertThat(second.status()).isEqualTo(503);
      assertThat(second.body()).contains("too many connections");
    }
  }

  @Test
  void feedbackUri_encodesTheSubAccount() {
    try (SmsApiSimulator sim = SmsApiSimulator.start()) {
      UUID umid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
      assertThat(sim.feedbackUri("R&D team", umid).toString())
          .isEqualTo(
              sim.baseUrl()
                  + "/api/v1/subaccounts/R%26D%20team/messages/"
                  + umid
                  + "/feedback");
      assertThat(sim.sendUri("acme").toString())
          .isEqualTo(sim.baseUrl() + "/api/v1/subaccounts/acme/messages");
    }
  }
}
