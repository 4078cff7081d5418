package io.smsfeedback.samples.war;

import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.support.SpringBootServletInitializer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot WAR for an external servlet container, configured by its {@code
 * application.properties} only. The starter brings the servlet jar with it; the jar's initializer
 * stands down, so those properties alone decide whether and how sms-feedback runs.
 */
@SpringBootApplication
public class WarSampleApplication extends SpringBootServletInitializer {

  @Override
  protected SpringApplicationBuilder configure(SpringApplicationBuilder builder) {
    return builder.sources(WarSampleApplication.class);
  }

  @RestController
  static class Otp {
    private static final Pattern UMID = Pattern.compile("\"umid\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String sendUrl;
    private final String apiKey;

    Otp(
        @Value("${sms.feedback.base-url}") String baseUrl,
        @Value("${sms.feedback.api-key}") String apiKey,
        @Value("${sms.feedback.sub-account-id}") String subAccountId) {
      this.sendUrl = baseUrl + "/api/v1/subaccounts/" + subAccountId + "/messages";
      this.apiKey = apiKey;
    }

    @GetMapping("/hello")
    String hello() {
      return "hello";
    }

    /** The sms-feedback filters registered in this web app, by name (one line each). */
    @GetMapping("/feedback-filters")
    String feedbackFilters(HttpServletRequest request) {
      StringBuilder names = new StringBuilder();
      for (FilterRegistration r :
          request.getServletContext().getFilterRegistrations().values()) {
        if (SmsFeedbackFilter.class.getName().equals(r.getClassName())) {
          names.append(r.getName()).append('\n');
        }
      }
      return names.toString();
    }

    /** Sends a code through 8x8's SMS API and keeps it and the umid in the session. */
    @PostMapping("/otp/send")
    String send(@RequestParam("phone") String phone, HttpSession session)
        throws IOException, InterruptedException {
      String code = String.format("%06d", random.nextInt(1_000_000));
      String body = "{\"destination\":\"" + phone + "\",\"text\":\"Your code is " + code + "\"}";
      HttpResponse<String> sent =
          http.send(
              HttpRequest.newBuilder(URI.create(sendUrl))
                  .header("Authorization", "Bearer " + apiKey)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher umid = UMID.matcher(sent.body());
      if (sent.statusCode() != 200 || !umid.find()) {
        throw new IllegalStateException("send failed: " + sent.statusCode());
      }
      session.setAttribute("code", code);
      SmsFeedback.remember(session, umid.group(1));
      return "sent";
    }

    /** The verification path ({@code sms.feedback.verification.paths}): home, or back with ?error. */
    @PostMapping("/otp/verify")
    ResponseEntity<Void> verify(@RequestParam("code") String code, HttpSession session) {
      String location = code.equals(session.getAttribute("code")) ? "/home" : "/otp?error";
      return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
    }
  }
}
