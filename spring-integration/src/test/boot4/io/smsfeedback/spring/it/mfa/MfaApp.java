package io.smsfeedback.spring.it.mfa;

import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.spring.it.app.SmsGateway;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.authorization.EnableMultiFactorAuthentication;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring Security 7 multi-factor: a password, then a one-time token sent by SMS. */
@SpringBootApplication
@EnableMultiFactorAuthentication(
    authorities = {FactorGrantedAuthority.PASSWORD_AUTHORITY, FactorGrantedAuthority.OTT_AUTHORITY})
@Import(SmsGateway.class)
public class MfaApp {

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}password").roles("USER").build());
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http, SmsGateway sms) throws Exception {
    http.csrf(c -> c.disable())
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/**", "/login", "/ott/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(f -> {})
        .oneTimeTokenLogin(
            o ->
                o.tokenGenerationSuccessHandler(
                    (request, response, token) -> {
                      String umid =
                          sms.send(OtpApp.PHONE, "Your sign-in code: " + token.getTokenValue());
                      SmsFeedback.remember(request.getSession(), umid);
                      response.setStatus(200);
                      response.getWriter().write("sent");
                    }));
    return http.build();
  }

  @RestController
  static class Pages {
    @GetMapping("/")
    String home(Authentication authentication) {
      return "hello " + authentication.getName();
    }
  }
}
