package io.smsfeedback.samples.spring;

import io.smsfeedback.Region;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A minimal client of 8x8's Send SMS API ({@code POST {base}/api/v1/subaccounts/{id}/messages}),
 * configured from the same {@code sms.feedback.*} properties as the starter. Returns the {@code
 * umid} 8x8 answers.
 */
@Component
public class EightByEightSms {

  private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI messages;
  private final String apiKey;
  private final String source;

  public EightByEightSms(Environment env) {
    this.apiKey = env.getRequiredProperty("sms.feedback.api-key");
    String subAccount = env.getRequiredProperty("sms.feedback.sub-account-id");
    String baseUrl = env.getProperty("sms.feedback.base-url");
    URI base =
        baseUrl != null && !baseUrl.isBlank()
            ? URI.create(baseUrl)
            : Region.parse(env.getProperty("sms.feedback.region", "asia")).baseUrl();
    this.messages =
        URI.create(
            base.toString().replaceAll("/+$", "")
                + "/api/v1/subaccounts/"
                + URLEncoder.encode(subAccount, StandardCharsets.UTF_8)
                + "/messages");
    this.source = env.getProperty("sample.sms-source", "SMSFeedback");
  }

  /** Sends {@code text} to {@code destination} (E.164) and returns 8x8's umid. */
  public String send(String destination, String text) throws IOException, InterruptedException {
    String json =
        "{\"destination\":"
            + quote(destination)
            + ",\"text\":"
            + quote(text)
            + ",\"source\":"
            + quote(source)
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(messages)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    Matcher umid = UMID.matcher(response.body());
    if (response.statusCode() / 100 != 2 || !umid.find()) {
      throw new IOException("8x8 refused the SMS: HTTP " + response.statusCode());
    }
    return umid.group(1);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
