package io.smsfeedback.spring.it.app;

import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A typical app with SMS one-time passwords and no sms-feedback code besides storing the umid:
 *
 * <ul>
 *   <li>form login whose password is the SMS code, checked by the app's {@link
 *       AuthenticationProvider} ({@code POST /sms/send}, then {@code POST /login});
 *   <li>one-time-token login whose token goes out by SMS ({@code POST /ott/generate}, then {@code
 *       POST /login/ott});
 *   <li>session fixation protection creating a new session on login.
 * </ul>
 */
@SpringBootApplication
public class OtpApp {

  public static final String PHONE = "+6512345678";

  /** Codes by phone number, as the app's own store. */
  @Bean
  Map<String, String> smsCodes() {
    return new ConcurrentHashMap<>();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}password").roles("USER").build());
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http, Map<String, String> smsCodes, SmsGateway sms)
      throws Exception {
    http.csrf(c -> c.disable())
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/sms/**", "/actuator/**", "/login", "/ott/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(f -> {})
        .oneTimeTokenLogin(o -> o.tokenGenerationSuccessHandler(ottBySms(sms)))
        .authenticationProvider(new SmsCodeAuthenticationProvider(smsCodes))
        .sessionManagement(s -> s.sessionFixation(f -> f.newSession()));
    return http.build();
  }

  /** Sends the one-time token by SMS and stores the umid: the app's only sms-feedback call. */
  public static OneTimeTokenGenerationSuccessHandler ottBySms(SmsGateway sms) {
    return (request, response, token) -> {
      String umid = sms.send(PHONE, "Your sign-in code: " + token.getTokenValue());
      SmsFeedback.remember(request.getSession(), umid);
      response.setStatus(200);
      response.getWriter().write("sent");
    };
  }

  @RestController
  static class Pages {
    private final Map<String, String> smsCodes;
    private final SmsGateway sms;
    private final SecureRandom random = new SecureRandom();

    Pages(Map<String, String> smsCodes, SmsGateway sms) {
      this.smsCodes = smsCodes;
      this.sms = sms;
    }

    /** Sends a 6-digit code to {@code phone} and remembers the umid in the session. */
    @PostMapping("/sms/send")
    ResponseEntity<String> send(@RequestParam("phone") String phone, HttpServletRequest request) {
      String code = String.format("%06d", random.nextInt(1_000_000));
      smsCodes.put(phone, code);
      String umid = sms.send(phone, "Your code is " + code);
      SmsFeedback.remember(request.getSession(), umid);
      return ResponseEntity.ok("sent");
    }

    @GetMapping("/")
    String home(Authentication authentication) {
      return "hello " + authentication.getName();
    }
  }

  /** Checks the SMS code given as the password of the form login. */
  static final class SmsCodeAuthenticationProvider implements AuthenticationProvider {
    private final Map<String, String> codes;

    SmsCodeAuthenticationProvider(Map<String, String> codes) {
      this.codes = codes;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
      String phone = authentication.getName();
      String expected = codes.get(phone);
      if (expected == null || !expected.equals(String.valueOf(authentication.getCredentials()))) {
        throw new BadCredentialsException("wrong code");
      }
      codes.remove(phone);
      return UsernamePasswordAuthenticationToken.authenticated(
          phone, null, List.of(new SimpleGrantedAuthority("ROLE_USER")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
  }
}
