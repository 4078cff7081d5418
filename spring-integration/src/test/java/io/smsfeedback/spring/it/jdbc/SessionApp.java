package io.smsfeedback.spring.it.jdbc;

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
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app with SMS codes whose sessions live in PostgreSQL (Spring Session JDBC), so any instance
 * serves any request, with the sms-feedback starter and its JDBC store ({@code
 * sms.feedback.store=jdbc}, set by the test): no sms-feedback bean of its own.
 */
@SpringBootApplication
public class SessionApp {

  public static final String PHONE = "+6512345678";

  /** No login: the test calls the OTP endpoints as a browser would after one. */
  @Bean
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    return http.csrf(c -> c.disable())
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .build();
  }

  @RestController
  static class Otp {
    private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String apiKey;
    private final String subAccountId;

    Otp(
        @Value("${sms.feedback.base-url}") String baseUrl,
        @Value("${sms.feedback.api-key}") String apiKey,
        @Value("${sms.feedback.sub-account-id}") String subAccountId) {
      this.baseUrl = baseUrl;
      this.apiKey = apiKey;
      this.subAccountId = subAccountId;
    }

    /** Sends a code through 8x8 (the simulator) and keeps it and the umid in the session. */
    @PostMapping("/otp/send")
    String send(HttpSession session) throws IOException, InterruptedException {
      String code = String.format("%06d", random.nextInt(1_000_000));
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(baseUrl + "/api/v1/subaccounts/" + subAccountId + "/messages"))
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"destination\":\"" + PHONE + "\",\"text\":\"Your code is " + code + "\"}"))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Matcher m = UMID.matcher(response.body());
      if (response.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException("send failed: " + response.body());
      }
      session.setAttribute("code", code);
      SmsFeedback.remember(session, m.group(1));
      return "sent";
    }

    /** The verification path: 200 for the right code, 401 for a wrong one. */
    @PostMapping("/otp/verify")
    ResponseEntity<String> verify(@RequestParam("code") String code, HttpSession session) {
      return code.equals(session.getAttribute("code"))
          ? ResponseEntity.ok("welcome")
          : ResponseEntity.status(401).body("wrong code");
    }
  }
}
