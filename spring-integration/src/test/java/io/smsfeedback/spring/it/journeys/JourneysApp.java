package io.smsfeedback.spring.it.journeys;

import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.spring.it.app.SmsGateway;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app as a hostile client meets it: CSRF protection on (Spring Security's default), a password
 * form login that has nothing to do with the SMS code, a one-time-token login whose token goes out
 * by SMS, and its own SMS code endpoints checked by the HTTP rules ({@code /otp/send} and {@code
 * /otp/verify}, also served as {@code /exact/send} and {@code /exact/verify} so that one app
 * covers a prefix rule and exact paths). No sms-feedback code besides storing the umid.
 */
@SpringBootApplication
@Import(SmsGateway.class)
public class JourneysApp {

  public static final String PHONE = "+6512345678";

  /** This user's one-time-token login fails after the authentication (the app's handler throws). */
  public static final String FAILING_USER = "bob";

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}password").roles("USER").build(),
        User.withUsername(FAILING_USER).password("{noop}password").roles("USER").build());
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http, SmsGateway sms) throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/otp/**", "/exact/**", "/csrf", "/login", "/ott/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(f -> {})
        .oneTimeTokenLogin(
            o ->
                o.tokenGenerationSuccessHandler(OtpApp.ottBySms(sms))
                    .authenticationSuccessHandler(failingFor(FAILING_USER)));
    return http.build();
  }

  /** Redirects home, except for {@code user}: the app fails after Spring Security authenticated. */
  static AuthenticationSuccessHandler failingFor(String user) {
    return (request, response, authentication) -> {
      if (user.equals(authentication.getName())) {
        throw new IllegalStateException("the app failed after the login");
      }
      response.sendRedirect("/");
    };
  }

  @RestController
  static class Otp {
    private final SmsGateway sms;

    Otp(SmsGateway sms) {
      this.sms = sms;
    }

    /** The CSRF token of the session (creating it), as a page would render it into its forms. */
    @GetMapping("/csrf")
    String csrf(HttpServletRequest request) {
      return ((CsrfToken) request.getAttribute(CsrfToken.class.getName())).getToken();
    }

    /** Sends a code through 8x8 (the simulator) and answers with a redirect to the form. */
    @PostMapping({"/otp/send", "/exact/send"})
    ResponseEntity<Void> send(HttpSession session) {
      sms.sendCode(PHONE, session);
      return redirect("/otp");
    }

    /** Checks the code: a redirect home, or back to the form with {@code ?error}. */
    @PostMapping({"/otp/verify", "/exact/verify"})
    ResponseEntity<Void> verify(@RequestParam("code") String code, HttpSession session) {
      return code.equals(session.getAttribute("code")) ? redirect("/home") : redirect("/otp?error");
    }

    private static ResponseEntity<Void> redirect(String location) {
      return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
    }
  }
}
