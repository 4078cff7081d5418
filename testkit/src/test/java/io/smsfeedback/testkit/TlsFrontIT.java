package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The TLS front answers HTTP/2 and HTTP/1.1 over https, relaying to the simulator. */
class TlsFrontIT {

  private static HttpResponse<String> post(TlsFront front, SmsApiSimulator sim, HttpClient.Version v)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().version(v).sslContext(front.clientSslContext()).build();
    UUID umid = UUID.randomUUID();
    HttpRequest request =
        HttpRequest.newBuilder(
                front.baseUri().resolve(sim.feedbackUri("acme", umid).getRawPath()))
            .header("Authorization", "Bearer " + sim.apiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"success\"}"))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void http2AndHttp11_overTls_reachTheSimulator() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.start();
        TlsFront front = TlsFront.start(sim)) {
      HttpResponse<String> h2 = post(front, sim, HttpClient.Version.HTTP_2);
      HttpResponse<String> h1 = post(front, sim, HttpClient.Version.HTTP_1_1);

      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(h2.statusCode()).as(h2.body()).isBetween(200, 299);
      assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(h1.statusCode()).isBetween(200, 299);
      assertThat(front.requestsByProtocol()).isEqualTo(Map.of("HTTP/2.0", 1L, "HTTP/1.1", 1L));
      assertThat(sim.receivedFeedback()).hasSize(2);
      assertThat(front.baseUri().getScheme()).isEqualTo("https");
    }
  }

  @Test
  void http11Only_offersNoHttp2_andRelaysRetryAfter() throws Exception {
    try (SmsApiSimulator sim = SmsApiSimulator.start();
        TlsFront front = TlsFront.http11Only(sim)) {
      sim.enqueueFaults(Fault.tooManyRequests(java.time.Duration.ofSeconds(3)));
      HttpResponse<String> r = post(front, sim, HttpClient.Version.HTTP_2);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
      assertThat(front.connectionsOpened()).isEqualTo(1);
    }
  }
}
