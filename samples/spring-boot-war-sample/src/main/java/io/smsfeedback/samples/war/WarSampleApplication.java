package io.smsfeedback.samples.war;

import io.smsfeedback.SmsSendException;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.security.SecureRandom;
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
    private final SecureRandom random = new SecureRandom();

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

    /**
     * Sends a code by SMS with the starter's {@code SmsSender} ({@code SmsFeedback.sendOtp}, which
     * also keeps the umid in the session) and keeps the code in the session for {@code /otp/verify};
     * 502 when the SMS was not sent (or may not have been: the sender logged why).
     */
    @PostMapping("/otp/send")
    ResponseEntity<String> send(@RequestParam("phone") String phone, HttpServletRequest request) {
      String code = String.format("%06d", random.nextInt(1_000_000));
      try {
        SmsFeedback.sendOtp(request, phone, "Your code is " + code);
      } catch (SmsSendException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("not sent");
      }
      request.getSession().setAttribute("code", code);
      return ResponseEntity.ok("sent");
    }

    /** The verification path ({@code sms.feedback.verification.paths}): home, or back with ?error. */
    @PostMapping("/otp/verify")
    ResponseEntity<Void> verify(@RequestParam("code") String code, HttpSession session) {
      String location = code.equals(session.getAttribute("code")) ? "/home" : "/otp?error";
      return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
    }
  }
}
