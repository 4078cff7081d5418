package io.smsfeedback.testkit;

import static io.smsfeedback.testkit.TestHttp.SUB;
import static io.smsfeedback.testkit.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.internal.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTML page at {@code /} and the JSON listings. */
@ExtendWith(SimulatorExtension.class)
class DashboardTest {

  private static void sendSms(SmsApiSimulator sim, String destination, String text)
      throws Exception {
    TestHttp.send(
        TestHttp.json(
                sim.sendUri(SUB),
                "{\"destination\":\"" + destination + "\",\"text\":" + Json.quote(text) + "}")
            .build());
  }

  @Test
  void page_listsFeedbackConversionAndMessages_allEscaped(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    TestHttp.feedback(
        sim, umid, "{\"outcome\":\"success\",\"timestamp\":\"2024-05-01T10:15:30.123Z\"}");
    TestHttp.feedback(sim, UUID.randomUUID(), "{\"outcome\":\"failure\"}");
    sendSms(sim, "+6512345678", "<script>alert('x')</script> & code 4821");

    HttpResponse<String> page = get(sim, "/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains(umid.toString())
        .contains("2024-05-01T10:15:30.123Z")
        .contains("<td>success</td>")
        .contains("<td>200</td>")
        .contains("rate <b>50.0%</b>")
        .contains("+6512345678")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; code 4821")
        .doesNotContain("<script>");
  }

  @Test
  void page_showsRejectedRequestsWithTheirError_escaped(SmsApiSimulator sim) throws Exception {
    TestHttp.feedback(sim, UUID.randomUUID(), "{\"outcome\":\"<b>\"}");

    String body = get(sim, "/").body();

    assertThat(body)
        .contains("REJECTED")
        .contains("&quot;&lt;b&gt;&quot;")
        .doesNotContain("\"<b>\"");
    assertThat(body).contains("rate <b>n/a</b>");
  }

  @Test
  void page_isNotRecorded_andOtherMethodsAre405(SmsApiSimulator sim) throws Exception {
    get(sim, "/");
    HttpResponse<String> post =
        TestHttp.send(
            HttpRequest.newBuilder(sim.baseUri().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void feedbackListing_isJson(SmsApiSimulator sim) throws Exception {
    UUID umid = UUID.randomUUID();
    TestHttp.success(sim, umid);

    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) Json.parse(get(sim, "/api/feedback").body());

    assertThat(json.get("successes").toString()).isEqualTo("1");
    assertThat(json.get("failures").toString()).isEqualTo("0");
    assertThat(json.get("rate").toString()).isEqualTo("1.0");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> feedback = (List<Map<String, Object>>) json.get("feedback");
    assertThat(feedback)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f).containsEntry("umid", umid.toString());
              assertThat(f).containsEntry("outcome", "success");
              assertThat(f).containsEntry("subAccountId", SUB);
              assertThat(f).containsEntry("timestamp", null);
            });
  }

  @Test
  void messagesListing_isJson_filteredByDestination(SmsApiSimulator sim) throws Exception {
    sendSms(sim, "+6511111111", "Your code is 123456");
    sendSms(sim, "+6522222222", "Your code is 654321");

    @SuppressWarnings("unchecked")
    Map<String, Object> all = (Map<String, Object>) Json.parse(get(sim, "/api/messages").body());
    @SuppressWarnings("unchecked")
    Map<String, Object> one =
        (Map<String, Object>)
            Json.parse(get(sim, "/api/messages?destination=%2B6522222222").body());

    assertThat((List<?>) all.get("messages")).hasSize(2);
    assertThat((List<?>) one.get("messages"))
        .singleElement()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("code", "654321")
        .containsEntry("destination", "+6522222222")
        .containsEntry("text", "Your code is 654321");
  }
}
