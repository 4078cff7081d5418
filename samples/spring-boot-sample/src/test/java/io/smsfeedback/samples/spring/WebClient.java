package io.smsfeedback.samples.spring;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user's browser: its own cookies, redirects not followed so tests can read them. Each form
 * post first reads the page it is on for its CSRF token, as a browser would.
 */
final class WebClient {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  WebClient(URI base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens {@code page}, then submits a form to {@code action} with the page's CSRF token. */
  HttpResponse<String> submit(String page, String action, String... nameValues)
      throws IOException, InterruptedException {
    HttpResponse<String> form = get(page);
    Matcher csrf = CSRF.matcher(form.body());
    if (form.statusCode() != 200 || !csrf.find()) {
      throw new AssertionError("no form on " + page + ": HTTP " + form.statusCode());
    }
    List<String> pairs = new ArrayList<>();
    pairs.add("_csrf=" + enc(csrf.group(1)));
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      pairs.add(enc(nameValues[i]) + "=" + enc(nameValues[i + 1]));
    }
    return client.send(
        HttpRequest.newBuilder(base.resolve(action))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElse("");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
