package io.smsfeedback.spring.it.insight;

import io.smsfeedback.SmsGuardedException;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import io.smsfeedback.testing.ManualClock;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app that sends OTPs with the starter's {@link SmsSender} bean ({@code SmsFeedback.sendOtp},
 * which notes each send's country) and checks them itself: {@code POST /otp/send} (a refusal of
 * the send guard becomes a 200 page offering another method, never a 500), {@code POST
 * /otp/verify}, judged by the filter's HTTP rules. The conversion statistics run on a {@link
 * ManualClock} ({@link #CLOCK}), the test's to move.
 */
@SpringBootApplication
public class OtpSendApp {

  /** The statistics' and the alarm's clock. */
  public static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));

  /** The body of the page that offers another method when the guard refused the SMS. */
  public static final String REFUSED = "SMS unavailable for this country: use your authenticator app";

  @Bean(SmsFeedbackAutoConfiguration.INSIGHT_CLOCK)
  Clock insightClock() {
    return CLOCK;
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.csrf(c -> c.disable()).authorizeHttpRequests(a -> a.anyRequest().permitAll());
    return http.build();
  }

  @RestController
  static class Otp {
    private final SmsSender sender;
    private final SecureRandom random = new SecureRandom();

    Otp(SmsSender sender) {
      this.sender = sender;
    }

    @PostMapping("/otp/send")
    ResponseEntity<String> send(@RequestParam("phone") String phone, HttpServletRequest request) {
      String code = String.format("%06d", random.nextInt(1_000_000));
      try {
        SmsFeedback.sendOtp(request, sender, SmsMessage.of(phone, "Your code is " + code));
      } catch (SmsGuardedException e) {
        return ResponseEntity.ok(REFUSED);
      } catch (SmsSendException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("try again later");
      }
      request.getSession().setAttribute("code", code);
      return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/otp")).build();
    }

    @PostMapping("/otp/verify")
    ResponseEntity<Void> verify(@RequestParam("code") String code, HttpServletRequest request) {
      boolean right = code.equals(request.getSession().getAttribute("code"));
      return ResponseEntity.status(HttpStatus.FOUND)
          .location(URI.create(right ? "/home" : "/otp?error"))
          .build();
    }
  }
}
