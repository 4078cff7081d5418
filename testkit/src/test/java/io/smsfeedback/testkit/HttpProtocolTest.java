package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.KEY;
import static io.smsfeedback.testkit.TestHttp.SUB;
import static io.smsfeedback.testkit.TestHttp.exchange;
import static io.smsfeedback.testkit.TestHttp.rawFeedback;
import static io.smsfeedback.testkit.TestHttp.read;
import static io.smsfeedback.testkit.TestHttp.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.TestHttp.Raw;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 framing, keep-alive, limits and bad input, on raw sockets. */
@ExtendWith(SimulatorExtension.class)
class HttpProtocolTest {

  private static final String OK_BODY = "{\"outcome\":\"success\"}";

  private static String feedbackHead(UUID umid) {
    return "POST /api/v1/subaccounts/"
        + SUB
        + "/messages/"
        + umid
        + "/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + KEY
        + "\r\nContent-Type: application/json\r\n";
  }

  /** Asserts a protocol error: the status, an error JSON, and that the server closed. */
  private static void assertRefused(SmsApiSimulator sim, String request, int status)
      throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, request);
      Raw raw = read(socket);
      assertThat(raw.status()).isEqualTo(status);
      assertThat(raw.header("Connection")).isEqualTo("close");
      assertThat(raw.body()).startsWith("{\"code\":");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(TestHttp.success(sim, UUID.randomUUID()).statusCode())
        .as("still serving after bad input")
        .isEqualTo(200);
  }

  @Test
  void keepAlive_servesManyRequestsOnOneConnection(SmsApiSimulator sim) throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      for (int i = 0; i < 5; i++) {
        write(socket, rawFeedback(UUID.randomUUID(), OK_BODY));
        Raw raw = read(socket);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("Content-Length")).isEqualTo("0");
        assertThat(raw.header("Connection")).isNull();
      }
      write(socket, rawFeedback(UUID.randomUUID(), "{}"));
      assertThat(read(socket).status()).isEqualTo(400);
      write(socket, rawFeedback(UUID.randomUUID(), OK_BODY, "Connection: close"));
      Raw last = read(socket);
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.header("Connection")).isEqualTo("close");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(sim.receivedFeedback()).hasSize(6);
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder(SmsApiSimulator sim) throws Exception {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, rawFeedback(a, OK_BODY) + rawFeedback(b, "{\"outcome\":\"x\"}"));

      assertThat(read(socket).status()).isEqualTo(200);
      assertThat(read(socket).status()).isEqualTo(400);
    }
    assertThat(sim.receivedFeedback()).extracting(ReceivedFeedback::umid).containsExactly(a);
  }

  @Test
  void http10_isAnsweredThenClosed(SmsApiSimulator sim) throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, rawFeedback(UUID.randomUUID(), OK_BODY).replace("HTTP/1.1", "HTTP/1.0"));

      Raw raw = read(socket);
      assertThat(raw.status()).isEqualTo(200);
      assertThat(raw.header("Connection")).isEqualTo("close");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void chunkedBody_isAccepted(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    String request =
        feedbackHead(umid)
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "b;ext=1\r\n{\"outcome\":\r\n"
            + "A\r\n\"success\"}\r\n"
            + "0\r\nX-Trailer: t\r\n\r\n";

    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, request);
      assertThat(read(socket).status()).isEqualTo(200);
      write(socket, rawFeedback(UUID.randomUUID(), OK_BODY));
      assertThat(read(socket).status()).as("same connection still in sync").isEqualTo(200);
    }
    assertThat(sim.requestsFor(umid).get(0).bodyText()).isEqualTo(OK_BODY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "\r\n\r\n"})
  void malformedChunks_are400(String chunks, SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim, feedbackHead(UUID.randomUUID()) + "Transfer-Encoding: chunked\r\n\r\n" + chunks, 400);
  }

  @Test
  void expectContinue_getsAnInterimAnswer(SmsApiSimulator sim) throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      write(
          socket,
          feedbackHead(UUID.randomUUID()) + "Expect: 100-continue\r\nContent-Length: 21\r\n\r\n");
      assertThat(read(socket).status()).isEqualTo(100);
      write(socket, OK_BODY);
      assertThat(read(socket).status()).isEqualTo(200);
    }
  }

  @Test
  void unsupportedExpectation_is417(SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim,
        feedbackHead(UUID.randomUUID()) + "Expect: magic\r\nContent-Length: 21\r\n\r\n" + OK_BODY,
        417);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HELLO\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET /  HTTP/1.1\r\n\r\n",
        "GET / HTTX/1.1\r\n\r\n",
        "G(E)T / HTTP/1.1\r\n\r\n",
        "GET nowhere HTTP/1.1\r\n\r\n",
        "\u0001\u0002\u0003 \u00ff\u00fe HTTP/1.1\r\n\r\n"
      })
  void garbageRequestLine_is400(String request, SmsApiSimulator sim) throws Exception {
    assertRefused(sim, request, 400);
  }

  @Test
  void otherHttpVersion_is505(SmsApiSimulator sim) throws Exception {
    assertRefused(sim, "GET / HTTP/2.0\r\n\r\n", 505);
  }

  @Test
  void requestLineTooLong_is414(SmsApiSimulator sim) throws Exception {
    assertRefused(sim, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", 414);
  }

  @Test
  void headersTooLarge_is431(SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim, "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431);
  }

  @Test
  void tooManyHeaders_is431(SmsApiSimulator sim) throws Exception {
    StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 101; i++) {
      request.append("X-H").append(i).append(": v\r\n");
    }
    assertRefused(sim, request.append("\r\n").toString(), 431);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "X-Folded: a\r\n  continued\r\n",
        "No colon here\r\n",
        "Space : before-colon\r\n",
        ": no-name\r\n",
        "X-Ctl: a\u0001b\r\n"
      })
  void malformedHeader_is400(String header, SmsApiSimulator sim) throws Exception {
    assertRefused(sim, "GET / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n", 400);
  }

  @Test
  void postWithoutContentLength_is411(SmsApiSimulator sim) throws Exception {
    assertRefused(sim, feedbackHead(UUID.randomUUID()) + "\r\n", 411);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1, 2", "99999999999999999999", ""})
  void malformedContentLength_is400(String value, SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim, feedbackHead(UUID.randomUUID()) + "Content-Length: " + value + "\r\n\r\n", 400);
  }

  @Test
  void contentLengthAndChunked_is400(SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim,
        feedbackHead(UUID.randomUUID())
            + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400);
  }

  @Test
  void otherTransferEncoding_is501(SmsApiSimulator sim) throws Exception {
    assertRefused(
        sim, feedbackHead(UUID.randomUUID()) + "Transfer-Encoding: gzip\r\n\r\n", 501);
  }

  @Test
  void bodyTooLarge_is413_withoutReadingIt() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.builder().maxBodyBytes(1024).build()) {
      assertRefused(sim, feedbackHead(UUID.randomUUID()) + "Content-Length: 2048\r\n\r\n", 413);
      assertRefused(
          sim,
          feedbackHead(UUID.randomUUID())
              + "Transfer-Encoding: chunked\r\n\r\n800\r\n"
              + "x".repeat(2048)
              + "\r\n0\r\n\r\n",
          413);
    }
  }

  @Test
  void incompleteRequest_isAnswered408AfterTheIdleTimeout() throws Exception {
    try (SmsApiSimulator sim =
        SmsApiSimulator.builder().idleTimeout(Duration.ofMillis(200)).build()) {
      assertRefused(sim, "GET / HTTP/1.1\r\nHost: x\r\n", 408);
    }
  }

  @Test
  void idleConnection_isClosedSilently() throws Exception {
    try (SmsApiSimulator sim =
            SmsApiSimulator.builder().idleTimeout(Duration.ofMillis(200)).build();
        Socket socket = TestHttp.socket(sim)) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void clientVanishingMidRequest_doesNotDisturbTheServer(SmsApiSimulator sim) throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, feedbackHead(UUID.randomUUID()) + "Content-Length: 500\r\n\r\n{\"out");
    }
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, "POST /api/v1/subacc");
    }
    assertThat(TestHttp.success(sim, UUID.randomUUID()).statusCode()).isEqualTo(200);
    assertThat(sim.requests()).hasSize(1);
  }

  @Test
  void malformedPercentEscape_is400(SmsApiSimulator sim) throws Exception {
    Raw raw =
        exchange(
            sim,
            rawFeedback(UUID.randomUUID(), OK_BODY)
                .replace("/subaccounts/" + SUB, "/subaccounts/a%zz"));

    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.body()).contains("SubAccountId");
  }

  @Test
  void absoluteFormTarget_isServed(SmsApiSimulator sim) throws Exception {
    String request =
        rawFeedback(UUID.randomUUID(), OK_BODY)
            .replaceFirst("POST /", "POST http://127.0.0.1:" + sim.port() + "/");

    assertThat(exchange(sim, request).status()).isEqualTo(200);
  }

  @Test
  void head_answersTheLengthWithoutTheBody(SmsApiSimulator sim) throws Exception {
    try (Socket socket = TestHttp.socket(sim)) {
      write(socket, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      StringBuilder text = new StringBuilder();
      while (text.indexOf("\r\n\r\n", text.indexOf("\r\n\r\n") + 4) < 0) {
        int n = in.read(buffer);
        assertThat(n).isPositive();
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
      assertThat(text.toString()).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("<html");
      assertThat(text.toString().split("HTTP/1.1 200 OK", -1)).hasSize(3);
    }
  }

  @Test
  void concurrentClients_areAllServed(SmsApiSimulator sim) throws Exception {
    List<UUID> umids = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      UUID umid = UUID.randomUUID();
      umids.add(umid);
      answers.add(
          TestHttp.CLIENT.sendAsync(
              TestHttp.json(sim.feedbackUri(SUB, umid), OK_BODY).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    assertThat(sim.receivedFeedback())
        .extracting(ReceivedFeedback::umid)
        .containsExactlyInAnyOrderElementsOf(umids);
    sim.assertNoDuplicates();
  }
}
