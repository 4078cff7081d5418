package io.smsfeedback.servlet.it;

import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The app's SMS sending: 8x8's send endpoint (here the simulator's), JDK HttpClient. */
final class SimulatorSender implements TestApp.OtpSender {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final SmsApiSimulator simulator;
  private final String subAccountId;

  SimulatorSender(SmsApiSimulator simulator, String subAccountId) {
    this.simulator = simulator;
    this.subAccountId = subAccountId;
  }

  @Override
  public String send(String destination, String text) throws IOException, InterruptedException {
    String json =
        "{\"destination\":\""
            + destination
            + "\",\"text\":\""
            + text
            + "\",\"source\":\"TestApp\"}";
    HttpRequest request =
        HttpRequest.newBuilder(simulator.sendUri(subAccountId))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + simulator.apiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    Matcher m = UMID.matcher(response.body());
    if (response.statusCode() != 200 || !m.find()) {
      throw new IOException("send failed: " + response.statusCode() + " " + response.body());
    }
    return m.group(1);
  }
}
