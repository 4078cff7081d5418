package io.smsfeedback.spring.it.jdbc;

import io.smsfeedback.spring.it.app.SmsGateway;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
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
@Import(SmsGateway.class)
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
    private final SmsGateway sms;

    Otp(SmsGateway sms) {
      this.sms = sms;
    }

    /** Sends a code through 8x8 (the simulator) and keeps it and the umid in the session. */
    @PostMapping("/otp/send")
    String send(HttpSession session) {
      sms.sendCode(PHONE, session);
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
