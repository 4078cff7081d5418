package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.SUB;
import static io.smsfeedback.testkit.TestHttp.json;
import static io.smsfeedback.testkit.TestHttp.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.testkit.RecordedRequest.Verdict;
import io.smsfeedback.testkit.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each scripted fault, observed from the client side over real sockets. */
class FaultTest {

  @RegisterExtension final SimulatorExtension extension = new SimulatorExtension();

  private final UUID umid = UUID.randomUUID();

  private SmsApiSimulator sim() {
    return extension.simulator();
  }

  private HttpRequest feedbackRequest(UUID id, Duration timeout) {
    return json(sim().feedbackUri(SUB, id), "{\"outcome\":\"success\"}").timeout(timeout).build();
  }

  /** A client of its own, so a broken connection never lingers in a shared pool. */
  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @Test
  void statusSequence_failsTheNextRequests_thenAnswersNormally() throws Exception {
    sim().enqueueStatuses(503, 503);

    HttpResponse<String> first = success(sim(), umid);
    HttpResponse<String> second = success(sim(), umid);
    HttpResponse<String> third = success(sim(), umid);

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(Json.parse(first.body()).toString()).contains("code=2000");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(sim().requestsFor(umid))
        .extracting(RecordedRequest::verdict, RecordedRequest::status)
        .containsExactly(
            tuple(Verdict.FAULTED, 503), tuple(Verdict.FAULTED, 503), tuple(Verdict.ACCEPTED, 200));
    assertThat(sim().attempts(umid)).isEqualTo(3);
    assertThat(sim().receivedFeedback(umid)).hasSize(1);
    assertThat(sim().pendingFaults()).isZero();
  }

  @Test
  void statusWithBodyAndHeader_isSentAsGiven() throws Exception {
    sim().enqueueFaults(Fault.status(502, "{\"oops\":true}").withHeader("X-Trace", "t1"));

    HttpResponse<String> response = success(sim(), umid);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("{\"oops\":true}");
    assertThat(response.headers().firstValue("X-Trace")).hasValue("t1");
    assertThat(sim().requests().get(0).fault()).isNotNull();
  }

  @Test
  void faultsApplyWhateverTheRequestsValidity() throws Exception {
    sim().enqueueStatuses(500);

    HttpResponse<String> response =
        TestHttp.send(
            json(sim().feedbackUri(SUB, umid), "not json")
                .setHeader("Authorization", "Bearer wrong")
                .build());

    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void umidFaults_applyOnlyToThatUmid_beforeTheSharedQueue() throws Exception {
    UUID other = UUID.randomUUID();
    sim().faultsForUmid(umid, Fault.status(500), Fault.status(504));
    sim().enqueueStatuses(502);

    assertThat(success(sim(), umid).statusCode()).isEqualTo(500);
    assertThat(success(sim(), other).statusCode()).isEqualTo(502);
    assertThat(success(sim(), other).statusCode()).isEqualTo(200);
    assertThat(success(sim(), umid).statusCode()).isEqualTo(504);
    assertThat(success(sim(), umid).statusCode()).isEqualTo(200);
  }

  @Test
  void tooManyRequests_withRetryAfterSeconds_roundedUp() throws Exception {
    sim().enqueueFaults(Fault.tooManyRequests(Duration.ofMillis(1500)), Fault.tooManyRequests());

    HttpResponse<String> first = success(sim(), umid);
    HttpResponse<String> second = success(sim(), umid);

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(Json.parse(first.body()).toString()).contains("code=1400");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void tooManyRequests_withRetryAfterHttpDate() throws Exception {
    Instant retryAt = Instant.parse("2031-05-01T08:05:09Z");
    sim().enqueueFaults(Fault.tooManyRequests(retryAt));

    HttpResponse<String> response = success(sim(), umid);

    assertThat(response.statusCode()).isEqualTo(429);
    String value = response.headers().firstValue("Retry-After").orElseThrow();
    assertThat(value).isEqualTo("Thu, 01 May 2031 08:05:09 GMT");
    assertThat(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
        .isEqualTo(retryAt);
  }

  @Test
  void latency_delaysItsOwnAnswer_butNotARequestOnAnotherConnection() throws Exception {
    UUID slow = UUID.randomUUID();
    Duration latency = Duration.ofMillis(1500);
    sim().faultsForUmid(slow, Fault.latency(latency));
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slowAnswer =
        TestHttp.CLIENT.sendAsync(
            feedbackRequest(slow, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
    // the fault is taken when the request arrives, before its latency starts
    await().atMost(Duration.ofSeconds(5)).until(() -> sim().pendingFaults() == 0);

    HttpResponse<String> fast = success(sim(), umid);

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(slowAnswer).isNotDone();
    assertThat(slowAnswer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);
    assertThat(sim().requestsFor(slow).get(0).fault().minLatency()).isEqualTo(latency);
  }

  @Test
  void randomLatency_isWithinItsBounds() throws Exception {
    sim().enqueueFaults(Fault.latency(Duration.ofMillis(100), Duration.ofMillis(200)));
    long start = System.nanoTime();

    HttpResponse<String> response = success(sim(), umid);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void statusWithLatency_waitsThenFails() throws Exception {
    sim().enqueueFaults(Fault.status(503).withLatency(Duration.ofMillis(100)));
    long start = System.nanoTime();

    assertThat(success(sim(), umid).statusCode()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void hang_neverAnswers_soTheClientTimesOut() throws Exception {
    sim().enqueueFaults(Fault.hang());

    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofMillis(300)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    RecordedRequest r = sim().requestsFor(umid).get(0);
    assertThat(r.verdict()).isEqualTo(Verdict.FAULTED);
    assertThat(r.status()).isZero();
    assertThat(sim().receivedFeedback()).isEmpty();
  }

  @Test
  void hang_holdsTheConnectionOpenUntilTheSimulatorCloses() throws Exception {
    sim().hangAll();
    try (Socket socket = TestHttp.socket(sim())) {
      TestHttp.write(socket, TestHttp.rawFeedback(umid, "{\"outcome\":\"success\"}"));
      socket.setSoTimeout(300);
      InputStream in = socket.getInputStream();

      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
      sim().awaitAttempts(umid, 1, Duration.ofSeconds(5));

      socket.setSoTimeout(5000);
      sim().close();
      assertThat(readToEndOrReset(in)).isEmpty();
    }
  }

  @Test
  void hangAll_thenClearFaults_answersAgain() throws Exception {
    sim().hangAll();
    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofMillis(200)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);

    sim().clearFaults();

    assertThat(success(sim(), umid).statusCode()).isEqualTo(200);
  }

  @Test
  void respondAlways_answersEveryRequest_untilCleared() throws Exception {
    sim().respondAlways(503);

    assertThat(success(sim(), umid).statusCode()).isEqualTo(503);
    assertThat(success(sim(), UUID.randomUUID()).statusCode()).isEqualTo(503);
    sim().enqueueStatuses(500);
    assertThat(success(sim(), umid).statusCode()).isEqualTo(500);
    assertThat(success(sim(), umid).statusCode()).isEqualTo(503);

    sim().clearFaults();
    assertThat(success(sim(), umid).statusCode()).isEqualTo(200);
  }

  @Test
  void closeBeforeAnswer_givesTheClientAnIoException() {
    sim().enqueueFaults(Fault.closeBeforeAnswer());

    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(sim().receivedFeedback()).isEmpty();
    assertThat(sim().requestsFor(umid).get(0).verdict()).isEqualTo(Verdict.FAULTED);
  }

  @Test
  void closeBeforeAnswer_onTheWire_isAnOrderlyCloseWithoutAByte() throws Exception {
    sim().enqueueFaults(Fault.closeBeforeAnswer());
    try (Socket socket = TestHttp.socket(sim())) {
      TestHttp.write(socket, TestHttp.rawFeedback(umid, "{\"outcome\":\"success\"}"));

      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void resetMidBody_givesTheClientAnIoException() {
    sim().enqueueFaults(Fault.resetMidBody());

    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(sim().receivedFeedback()).isEmpty();
  }

  @Test
  void resetMidBody_onTheWire_sendsPartOfTheBodyThenAReset() throws Exception {
    sim().enqueueFaults(Fault.resetMidBody());
    try (Socket socket = TestHttp.socket(sim())) {
      TestHttp.write(socket, TestHttp.rawFeedback(umid, "{\"outcome\":\"success\"}"));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();

      assertThatThrownBy(
              () -> {
                int b;
                while ((b = in.read()) >= 0) {
                  received.write(b);
                }
              })
          .isInstanceOf(SocketException.class);
      // the reset may discard bytes not yet read, so only what did arrive is checked
      String text = received.toString(StandardCharsets.ISO_8859_1);
      assertThat("HTTP/1.1 200 OK\r\n")
          .startsWith(text.substring(0, Math.min(text.length(), 17)));
    }
  }

  @Test
  void malformedBody_is200WithBrokenJson_andCountsAsReceived() throws Exception {
    sim().enqueueFaults(Fault.malformedBody());

    HttpResponse<String> response = success(sim(), umid);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThatThrownBy(() -> Json.parse(response.body())).isInstanceOf(Json.ParseException.class);
    assertThat(sim().receivedFeedback(umid)).hasSize(1);
    assertThat(sim().requestsFor(umid).get(0).verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(sim().requestsFor(umid).get(0).fault()).isNotNull();
  }

  @Test
  void wrongContentLength_truncatesTheAnswer_soTheClientFails() {
    sim().enqueueFaults(Fault.wrongContentLength());

    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThat(sim().receivedFeedback(umid)).hasSize(1);
  }

  @Test
  void wrongContentLength_onTheWire_declaresMoreThanItSends() throws Exception {
    sim().enqueueFaults(Fault.wrongContentLength());
    try (Socket socket = TestHttp.socket(sim())) {
      TestHttp.write(socket, TestHttp.rawFeedback(umid, "{\"outcome\":\"success\"}"));

      assertThatThrownBy(() -> TestHttp.read(socket))
          .isInstanceOf(java.io.EOFException.class)
          .hasMessageContaining("2 of 18");
    }
  }

  @Test
  void lostAnswerAfterProcessing_thenARetry_isADuplicate() throws Exception {
    sim().enqueueFaults(Fault.closeBeforeAnswer().afterProcessing());

    assertThatThrownBy(
            () ->
                newClient()
                    .send(
                        feedbackRequest(umid, Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(sim().receivedFeedback(umid)).hasSize(1);
    assertThat(sim().requestsFor(umid).get(0).status()).isZero();

    assertThat(success(sim(), umid).statusCode()).isEqualTo(200);
    assertThatThrownBy(sim()::assertNoDuplicates)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(umid.toString())
        .hasMessageContaining("2 times");
  }

  @Test
  void faultAfterProcessing_ofAnInvalidRequest_isRejectedButAnsweredByTheFault() throws Exception {
    sim().enqueueFaults(Fault.status(503).afterProcessing());

    HttpResponse<String> response =
        TestHttp.send(json(sim().feedbackUri(SUB, umid), "{\"outcome\":\"SUCCESS\"}").build());

    assertThat(response.statusCode()).isEqualTo(503);
    RecordedRequest r = sim().requestsFor(umid).get(0);
    assertThat(r.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(r.error()).contains("outcome");
    assertThat(r.status()).isEqualTo(503);
  }

  private static byte[] readToEndOrReset(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
      }
    } catch (SocketException reset) {
      // closed by the simulator: what matters is that nothing was answered
    }
    return out.toByteArray();
  }

  @Test
  void applyRandomly_hitsASeededShare_repeatably_andQueuedFaultsComeFirst() throws Exception {
    int[] first = randomStatuses(0.1, 42);
    int[] again = randomStatuses(0.1, 42);
    int[] other = randomStatuses(0.1, 7);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    long limited = java.util.Arrays.stream(first).filter(st -> st == 429).count();
    assertThat(limited).as("about 10%% of 400").isBetween(20L, 60L);
    assertThat(java.util.Arrays.stream(first).filter(st -> st != 429 && st != 200).count()).isZero();

    sim().applyRandomly(Fault.tooManyRequests(), 1.0, 1).enqueueStatuses(503);
    assertThat(success(sim(), umid).statusCode()).as("the queue first").isEqualTo(503);
    assertThat(success(sim(), umid).statusCode()).isEqualTo(429);
    sim().clearFaults();
    assertThat(success(sim(), umid).statusCode()).isEqualTo(200);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sim().applyRandomly(Fault.tooManyRequests(), 1.5, 1))
        .hasMessage("fraction must be in [0, 1]: 1.5");
  }

  /** The statuses of 400 feedback requests, one after the other, under a random 429 share. */
  private int[] randomStatuses(double fraction, long seed) throws Exception {
    sim().clearFaults();
    sim().applyRandomly(Fault.tooManyRequests(), fraction, seed);
    int[] statuses = new int[400];
    for (int i = 0; i < statuses.length; i++) {
      statuses[i] = success(sim(), UUID.randomUUID()).statusCode();
    }
    sim().clearFaults();
    return statuses;
  }
}
