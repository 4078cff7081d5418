package io.smsfeedback.spring.it.app;

import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The app's own SMS sending through 8x8's send API (the simulator in tests): returns the umid. */
@Component
public class SmsGateway {

  private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private final String baseUrl;
  private final String apiKey;
  private final String subAccountId;

  public SmsGateway(
      @Value("${sms.feedback.base-url}") String baseUrl,
      @Value("${sms.feedback.api-key}") String apiKey,
      @Value("${sms.feedback.sub-account-id}") String subAccountId) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.subAccountId = subAccountId;
  }

  /**
   * Sends a fresh 6-digit code to {@code destination}, keeps it in the session under {@code code}
   * and remembers the umid ({@code SmsFeedback.remember}): an app's send endpoint.
   */
  public void sendCode(String destination, HttpSession session) {
    String code = String.format("%06d", random.nextInt(1_000_000));
    String umid = send(destination, "Your code is " + code);
    session.setAttribute("code", code);
    SmsFeedback.remember(session, umid);
  }

  public String send(String destination, String text) {
    String body = "{\"destination\":\"" + destination + "\",\"text\":\"" + text + "\"}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/subaccounts/" + subAccountId + "/messages"))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Matcher m = UMID.matcher(response.body());
      if (response.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException(
            "send failed: " + response.statusCode() + " " + response.body());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
