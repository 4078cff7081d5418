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
