package io.smsfeedback.samples.support;

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

/**
 * A minimal client of 8x8's Send SMS API: {@code POST {base}/api/v1/subaccounts/{id}/messages}.
 * Returns the {@code umid} 8x8 answers, which is all sms-feedback needs. The API key goes only into
 * the {@code Authorization} header, never into a message.
 */
public final class EightByEightSms {

  private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI messages;
  private final String apiKey;
  private final String source;

  public EightByEightSms(URI baseUrl, String apiKey, String subAccountId, String source) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.messages =
        URI.create(
            base
                + "/api/v1/subaccounts/"
                + URLEncoder.encode(subAccountId, StandardCharsets.UTF_8)
                + "/messages");
    this.apiKey = apiKey;
    this.source = source;
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
