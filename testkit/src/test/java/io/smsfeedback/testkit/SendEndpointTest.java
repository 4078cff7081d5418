package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.SUB;
import static io.smsfeedback.testkit.TestHttp.json;
import static io.smsfeedback.testkit.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.internal.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The send-SMS endpoint and the sent-message queries. */
@ExtendWith(SimulatorExtension.class)
class SendEndpointTest {

  private static HttpResponse<String> sendSms(SmsApiSimulator sim, String body) throws Exception {
    return send(json(sim.sendUri(SUB), body).build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) throws Exception {
    return (Map<String, Object>) Json.parse(json);
  }

  @Test
  void send_answersAFreshUmidLike8x8_andStoresTheMessage(SmsApiSimulator sim) throws Exception {
    HttpResponse<String> response =
        sendSms(
            sim,
            "{\"destination\":\"+6512345678\",\"text\":\"Your code is 482913\","
                + "\"source\":\"Acme\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    Map<String, Object> json = parse(response.body());
    UUID umid = UUID.fromString((String) json.get("umid"));
    assertThat(json)
        .containsEntry("clientMessageId", null)
        .containsEntry("destination", "+6512345678")
        .containsEntry("encoding", "GSM7")
        .containsEntry(
            "status", Map.of("state", "queued", "detail", "Message queued for delivery"));

    SentMessage message = sim.sentMessages().get(0);
    assertThat(message.umid()).isEqualTo(umid);
    assertThat(message.subAccountId()).isEqualTo(SUB);
    assertThat(message.destination()).isEqualTo("+6512345678");
    assertThat(message.text()).isEqualTo("Your code is 482913");
    assertThat(message.source()).isEqualTo("Acme");
    assertThat(message.code()).hasValue("482913");
    assertThat(sim.requests().get(0).umid()).isEqualTo(umid);
    assertThat(sim.requests().get(0).endpoint()).isEqualTo(RecordedRequest.Endpoint.SEND_SMS);
  }

  @Test
  void eachSend_getsItsOwnUmid(SmsApiSimulator sim) throws Exception {
    String body = "{\"destination\":\"6512345678\",\"text\":\"1234\"}";
    String first = (String) parse(sendSms(sim, body).body()).get("umid");
    String second = (String) parse(sendSms(sim, body).body()).get("umid");

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void clientMessageId_isEchoed_andNonGsmTextIsUcs2(SmsApiSimulator sim) throws Exception {
    Map<String, Object> json =
        parse(
            sendSms(
                    sim,
                    "{\"destination\":\"6512345678\",\"text\":\"验证码 1234\","
                        + "\"clientMessageId\":\"c-1\",\"track\":\"none\"}")
                .body());

    assertThat(json).containsEntry("clientMessageId", "c-1").containsEntry("encoding", "UCS2");
  }

  @Test
  void queries_byDestination_ignoreTheLeadingPlus(SmsApiSimulator sim) throws Exception {
    sendSms(sim, "{\"destination\":\"+6511111111\",\"text\":\"code 1111\"}");
    sendSms(sim, "{\"destination\":\"+6522222222\",\"text\":\"code 2222\"}");
    sendSms(sim, "{\"destination\":\"6511111111\",\"text\":\"code 3333\"}");

    assertThat(sim.sentMessages()).hasSize(3);
    assertThat(sim.sentMessagesTo("6511111111"))
        .extracting(SentMessage::text)
        .containsExactly("code 1111", "code 3333");
    assertThat(sim.lastMessageTo("+6511111111"))
        .hasValueSatisfying(m -> assertThat(m.code()).hasValue("3333"));
    assertThat(sim.lastMessageTo("+6599999999")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"destination\":\"12345\",\"text\":\"x\"}",
        "{\"destination\":\"+0512345678\",\"text\":\"x\"}",
        "{\"destination\":\"+65 1234 5678\",\"text\":\"x\"}",
        "{\"destination\":\"+1234567890123456\",\"text\":\"x\"}",
        "{\"destination\":6512345678,\"text\":\"x\"}",
        "{\"text\":\"x\"}"
      })
  void invalidDestination_is400(String body, SmsApiSimulator sim) throws Exception {
    HttpResponse<String> response = sendSms(sim, body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(parse(response.body()).get("code").toString()).isEqualTo("1002");
    assertThat(sim.sentMessages()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"destination\":\"6512345678\",\"text\":\"\"}",
        "{\"destination\":\"6512345678\"}",
        "{\"destination\":\"6512345678\",\"text\":7}",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"source\":\"\"}",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"source\":5}",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"clientMessageId\":[]}",
        "[]",
        "{"
      })
  void invalidTextSourceOrBody_is400(String body, SmsApiSimulator sim) throws Exception {
    assertThat(sendSms(sim, body).statusCode()).isEqualTo(400);
    assertThat(sim.sentMessages()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"source\":\"AcmeBankOnline\"}:1005",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"source\":\"12345678901234567\"}:1005",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"source\":\"Acme-Bank\"}:1005",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"encoding\":\"utf8\"}:1000",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"encoding\":\"gsm7\"}:1000",
        "{\"destination\":\"6512345678\",\"text\":\"\u041a\u043e\u0434 1234\",\"encoding\":\"GSM7\"}:1004",
        "{\"destination\":\"6512345678\",\"text\":\"x\",\"destinaton\":\"6512345678\"}:1000"
      })
  void badSourceEncodingOrUnknownField_is400WithItsCode(String bodyAndCode, SmsApiSimulator sim)
      throws Exception {
    int colon = bodyAndCode.lastIndexOf(':');
    HttpResponse<String> response = sendSms(sim, bodyAndCode.substring(0, colon));

    assertThat(response.statusCode()).isEqualTo(400);
    Map<String, Object> error = parse(response.body());
    assertThat(error.get("code").toString()).isEqualTo(bodyAndCode.substring(colon + 1));
    assertThat(error).containsKeys("message", "errorId", "timestamp");
    assertThat(sim.sentMessages()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GSM7:Your code is 1234:GSM7",
        "UCS2:Your code is 1234:UCS2",
        "AUTO:Your code is 1234:GSM7",
        "AUTO:\u041a\u043e\u0434 1234:UCS2"
      })
  void encoding_asRequestedOrChosenByText(String requestedTextUsed, SmsApiSimulator sim)
      throws Exception {
    String[] parts = requestedTextUsed.split(":");
    HttpResponse<String> response =
        sendSms(
            sim,
            "{\"destination\":\"+6512345678\",\"text\":\""
                + parts[1]
                + "\",\"encoding\":\""
                + parts[0]
                + "\",\"source\":\"Acme Bank\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(parse(response.body())).containsEntry("encoding", parts[2]);
    assertThat(sim.sentMessages()).singleElement().extracting(SentMessage::encoding)
        .isEqualTo(parts[2]);
  }

  @Test
  void textOf1600Characters_isAccepted_and1601_is400(SmsApiSimulator sim) throws Exception {
    String ok = "{\"destination\":\"6512345678\",\"text\":\"" + "a".repeat(1600) + "\"}";
    String tooLong = "{\"destination\":\"6512345678\",\"text\":\"" + "a".repeat(1601) + "\"}";

    assertThat(sendSms(sim, ok).statusCode()).isEqualTo(200);
    assertThat(sendSms(sim, tooLong).statusCode()).isEqualTo(400);
  }

  @Test
  void wrongKey_is401_andWrongMethod_is405(SmsApiSimulator sim) throws Exception {
    String body = "{\"destination\":\"6512345678\",\"text\":\"x\"}";
    assertThat(
            send(json(sim.sendUri(SUB), body).setHeader("Authorization", "Bearer nope").build())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send(HttpRequest.newBuilder(sim.sendUri(SUB)).GET().build()).statusCode())
        .isEqualTo(405);
    assertThat(sim.sentMessages()).isEmpty();
  }

  @Test
  void sendFaults_applyToTheNextSends_only(SmsApiSimulator sim) throws Exception {
    sim.enqueueSendFaults(Fault.status(503));
    String body = "{\"destination\":\"6512345678\",\"text\":\"x\"}";

    assertThat(sendSms(sim, body).statusCode()).isEqualTo(503);
    assertThat(sendSms(sim, body).statusCode()).isEqualTo(200);
    assertThat(sim.sentMessages()).hasSize(1);
    assertThat(TestHttp.success(sim, UUID.randomUUID()).statusCode()).isEqualTo(200);
  }

  @Test
  void sendFaultAfterProcessing_storesTheMessageButLosesTheAnswer(SmsApiSimulator sim)
      throws Exception {
    sim.enqueueSendFaults(Fault.status(500).afterProcessing().withLatency(Duration.ZERO));

    assertThat(sendSms(sim, "{\"destination\":\"6512345678\",\"text\":\"x\"}").statusCode())
        .isEqualTo(500);
    assertThat(sim.sentMessages()).hasSize(1);
  }
}
