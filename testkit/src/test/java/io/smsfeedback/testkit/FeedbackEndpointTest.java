package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.KEY;
import static io.smsfeedback.testkit.TestHttp.SUB;
import static io.smsfeedback.testkit.TestHttp.feedback;
import static io.smsfeedback.testkit.TestHttp.json;
import static io.smsfeedback.testkit.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.RecordedRequest.Verdict;
import io.smsfeedback.testkit.internal.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feedback endpoint's contract (testkit/README.md, "Endpoints"), over real HTTP. */
class FeedbackEndpointTest {

  @RegisterExtension static final SimulatorExtension SIM = new SimulatorExtension();

  private final UUID umid = UUID.randomUUID();

  private static SmsApiSimulator sim() {
    return SIM.simulator();
  }

  /** Asserts a 4xx with 8x8's error JSON, and that nothing counts as received. */
  private static Map<String, Object> assertError(HttpResponse<String> response, int status)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) Json.parse(response.body());
    assertThat(error).containsOnlyKeys("code", "message", "errorId", "timestamp");
    assertThat(error.get("code")).isInstanceOf(java.math.BigDecimal.class);
    assertThat(error.get("message")).isInstanceOf(String.class);
    assertThat(UUID.fromString((String) error.get("errorId"))).isNotNull();
    assertThat(Instant.parse((String) error.get("timestamp"))).isNotNull();
    assertThat(sim().receivedFeedback()).isEmpty();
    return error;
  }

  private HttpResponse<String> post(String body) throws Exception {
    return feedback(sim(), umid, body);
  }

  @Test
  void success_isAnswered200WithAnEmptyBody_andReceived() throws Exception {
    HttpResponse<String> response = post("{\"outcome\":\"success\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Length")).hasValue("0");
    assertThat(sim().receivedFeedback())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.umid()).isEqualTo(umid);
              assertThat(f.subAccountId()).isEqualTo(SUB);
              assertThat(f.outcome()).isEqualTo("success");
              assertThat(f.isSuccess()).isTrue();
              assertThat(f.timestamp()).isNull();
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2024-05-01T10:15:30Z", "2024-05-01T10:15:30.123Z", "2024-05-01T10:15:30.1Z"})
  void failure_withUtcTimestamp_isReceivedAsSent(String timestamp) throws Exception {
    HttpResponse<String> response =
        post("{\"outcome\":\"failure\",\"timestamp\":\"" + timestamp + "\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    ReceivedFeedback f = sim().receivedFeedback(umid).get(0);
    assertThat(f.outcome()).isEqualTo("failure");
    assertThat(f.timestamp()).isEqualTo(timestamp);
    assertThat(f.actedAt()).hasValue(Instant.parse(timestamp));
  }

  @Test
  void acceptedRequest_isRecordedWithEverything() throws Exception {
    String body = "{\"timestamp\":\"2024-05-01T10:15:30.123Z\",\"outcome\":\"success\"}";
    post(body);

    RecordedRequest r = sim().requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.target())
        .isEqualTo("/api/v1/subaccounts/" + SUB + "/messages/" + umid + "/feedback");
    assertThat(r.header("authorization")).hasValue("Bearer " + KEY);
    assertThat(r.header("Content-Type")).hasValue("application/json");
    assertThat(r.bodyText()).isEqualTo(body);
    assertThat(r.endpoint()).isEqualTo(RecordedRequest.Endpoint.FEEDBACK);
    assertThat(r.subAccountId()).isEqualTo(SUB);
    assertThat(r.umid()).isEqualTo(umid);
    assertThat(r.outcome()).isEqualTo("success");
    assertThat(r.timestamp()).isEqualTo("2024-05-01T10:15:30.123Z");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.fault()).isNull();
    assertThat(r.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(r.error()).isNull();
    assertThat(r.receivedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
  }

  @Test
  void missingAuthorization_is401() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(sim().feedbackUri(SUB, umid))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"success\"}"))
                .build());

    Map<String, Object> error = assertError(response, 401);
    assertThat(error.get("code").toString()).isEqualTo("1200");
    assertThat(sim().requests().get(0).verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(sim().requests().get(0).error()).contains("missing Authorization");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer wrong-key", "Basic dGVzdDp0ZXN0", "Bearer", "test-api-key"})
  void wrongAuthorization_is401(String authorization) throws Exception {
    HttpResponse<String> response =
        send(
            json(sim().feedbackUri(SUB, umid), "{\"outcome\":\"success\"}")
                .setHeader("Authorization", authorization)
                .build());

    assertError(response, 401);
  }

  @Test
  void configuredKey_isTheOneAccepted() throws Exception {
    try (SmsApiSimulator other = SmsApiSimulator.builder().apiKey("other-key").build()) {
      URI uri = other.feedbackUri(SUB, umid);
      String body = "{\"outcome\":\"success\"}";
      assertThat(send(json(uri, body).build()).statusCode()).isEqualTo(401);
      assertThat(
              send(json(uri, body).setHeader("Authorization", "Bearer other-key").build())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "acme%21", "a%2Fb", "has%20space", "ac%C3%28me", "%C3%A9t%C3%A9"})
  void invalidSubAccount_is400(String rawSubAccount) throws Exception {
    URI uri =
        URI.create(
            sim().baseUrl()
                + "/api/v1/subaccounts/"
                + rawSubAccount
                + "/messages/"
                + umid
                + "/feedback");

    Map<String, Object> error =
        assertError(send(json(uri, "{\"outcome\":\"success\"}").build()), 400);
    assertThat(error.get("code").toString()).isEqualTo("1001");
  }

  @Test
  void subAccountOf51Characters_is400_andOf50_isAccepted() throws Exception {
    String body = "{\"outcome\":\"success\"}";
    String fifty = "a".repeat(50);
    assertThat(send(json(sim().feedbackUri(fifty, umid), body).build()).statusCode())
        .isEqualTo(200);
    assertThat(send(json(sim().feedbackUri(fifty + "b", umid), body).build()).statusCode())
        .isEqualTo(400);
  }

  @Test
  void subAccount_isPercentDecodedBeforeTheCheck() throws Exception {
    URI uri =
        URI.create(
            sim().baseUrl() + "/api/v1/subaccounts/R%26D.team_1-x/messages/" + umid + "/feedback");

    assertThat(send(json(uri, "{\"outcome\":\"success\"}").build()).statusCode()).isEqualTo(200);
    assertThat(sim().receivedFeedback(umid).get(0).subAccountId()).isEqualTo("R&D.team_1-x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "123e4567e89b12d3a456426614174000", "x"})
  void umidNotAUuid_is400(String rawUmid) throws Exception {
    URI uri =
        URI.create(
            sim().baseUrl() + "/api/v1/subaccounts/" + SUB + "/messages/" + rawUmid + "/feedback");

    Map<String, Object> error =
        assertError(send(json(uri, "{\"outcome\":\"success\"}").build()), 400);
    assertThat(error.get("message").toString()).contains("UUID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"outcome\":\"success\",}",
        "{outcome:\"success\"}",
        "{'outcome':'success'}",
        "{\"outcome\":\"success\"} x",
        "{\"outcome\":\"success\",\"outcome\":\"failure\"}"
      })
  void malformedJson_is400(String body) throws Exception {
    Map<String, Object> error = assertError(post(body), 400);
    assertThat(error.get("message").toString()).contains("JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"success\"", "[{\"outcome\":\"success\"}]", "null", "1"})
  void bodyNotAnObject_is400(String body) throws Exception {
    assertError(post(body), 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"outcome\":\"SUCCESS\"}",
        "{\"outcome\":\"Success\"}",
        "{\"outcome\":\"ok\"}",
        "{\"outcome\":true}",
        "{\"outcome\":null}",
        "{}",
        "{\"OUTCOME\":\"success\"}"
      })
  void outcomeNotExactlyLowerCaseSuccessOrFailure_is400(String body) throws Exception {
    assertError(post(body), 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2024-05-01T10:15:30\"",
        "\"2024-05-01T10:15:30+00:00\"",
        "\"2024-05-01T10:15:30.123+08:00\"",
        "\"2024-05-01T10:15:30z\"",
        "\"2024-13-01T10:15:30Z\"",
        "\"2024-05-01 10:15:30Z\"",
        "\"2024-05-01\"",
        "\"yesterday\"",
        "1714558530",
        "null"
      })
  void timestampNotUtcIsoEndingInZ_is400(String timestamp) throws Exception {
    Map<String, Object> error =
        assertError(post("{\"outcome\":\"success\",\"timestamp\":" + timestamp + "}"), 400);
    assertThat(error.get("message").toString()).contains("timestamp");
  }

  @Test
  void unknownField_is400() throws Exception {
    Map<String, Object> error = assertError(post("{\"outcome\":\"success\",\"umid\":\"x\"}"), 400);
    assertThat(error.get("message").toString()).contains("unknown field \"umid\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1"
      })
  void wrongContentType_is400(String contentType) throws Exception {
    HttpResponse<String> response =
        send(
            json(sim().feedbackUri(SUB, umid), "{\"outcome\":\"success\"}")
                .setHeader("Content-Type", contentType)
                .build());

    assertError(response, 400);
  }

  @Test
  void missingContentType_is400() throws Exception {
    TestHttp.Raw raw =
        TestHttp.exchange(
            sim(),
            "POST /api/v1/subaccounts/"
                + SUB
                + "/messages/"
                + umid
                + "/feedback HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + KEY
                + "\r\nContent-Length: 21\r\n\r\n{\"outcome\":\"success\"}");

    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.body()).contains("Content-Type");
    assertThat(sim().receivedFeedback()).isEmpty();
  }

  @Test
  void jsonContentTypeWithUtf8Charset_isAccepted() throws Exception {
    HttpResponse<String> response =
        send(
            json(sim().feedbackUri(SUB, umid), "{\"outcome\":\"success\"}")
                .setHeader("Content-Type", "Application/JSON; charset=UTF-8")
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void invalidUtf8Body_is400() throws Exception {
    byte[] body = "{\"outcome\":\"success\u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
    byte[] head =
        TestHttp.rawFeedback(umid, "")
            .replace("Content-Length: 0", "Content-Length: " + body.length)
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);

    TestHttp.Raw raw = TestHttp.exchange(sim(), request);

    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.body()).contains("UTF-8");
    assertThat(sim().receivedFeedback()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE"})
  void otherMethod_is405WithAllow(String method) throws Exception {
    HttpResponse<String> response =
        send(
            json(sim().feedbackUri(SUB, umid), "{\"outcome\":\"success\"}")
                .method(method, HttpRequest.BodyPublishers.ofString("{\"outcome\":\"success\"}"))
                .build());

    assertError(response, 405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/subaccounts/acme/messages/x/feedback/extra",
        "/api/v2/subaccounts/acme/messages",
        "/api/v1/feedback",
        "/nothing"
      })
  void unknownPath_is404(String path) throws Exception {
    HttpResponse<String> response =
        send(json(URI.create(sim().baseUrl() + path), "{\"outcome\":\"success\"}").build());

    Map<String, Object> error = assertError(response, 404);
    assertThat(error.get("code").toString()).isEqualTo("1300");
    assertThat(sim().requests().get(0).endpoint()).isEqualTo(RecordedRequest.Endpoint.OTHER);
  }

  @Test
  void rejectedRequests_areRecordedAndCountAsAttempts_butNotAsReceived() throws Exception {
    post("{\"outcome\":\"SUCCESS\"}");
    post("{\"outcome\":\"success\"}");

    assertThat(sim().attempts(umid)).isEqualTo(2);
    assertThat(sim().requestsFor(umid))
        .extracting(RecordedRequest::verdict)
        .containsExactly(Verdict.REJECTED, Verdict.ACCEPTED);
    assertThat(sim().requestsFor(umid).get(0).status()).isEqualTo(400);
    assertThat(sim().requestsFor(umid).get(0).error()).contains("outcome");
    assertThat(sim().receivedFeedback(umid)).hasSize(1);
    assertThat(sim().awaitFeedback(umid, Duration.ZERO).outcome()).isEqualTo("success");
  }
}
