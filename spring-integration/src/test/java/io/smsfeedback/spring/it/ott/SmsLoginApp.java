package io.smsfeedback.spring.it.ott;

import io.smsfeedback.spring.ott.SmsPhoneNumbers;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app that signs users in with a code sent by SMS, whose only sms-feedback code is the {@link
 * SmsPhoneNumbers} bean: Spring Security's {@code oneTimeTokenLogin()} finds the starter's token
 * service and SMS-sending handler.
 */
@SpringBootApplication
public class SmsLoginApp {

  public static final String ALICE_PHONE = "+6512345678";
  public static final String BOB_PHONE = "+6587654321";

  @Bean
  SmsPhoneNumbers phoneNumbers() {
    return Map.of("alice", ALICE_PHONE, "bob", BOB_PHONE)::get;
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}password").roles("USER").build(),
        User.withUsername("bob").password("{noop}password").roles("USER").build());
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.csrf(c -> c.disable())
        .authorizeHttpRequests(
            a -> a.requestMatchers("/login", "/ott/**", "/error").permitAll().anyRequest().authenticated())
        .formLogin(Customizer.withDefaults())
        .oneTimeTokenLogin(Customizer.withDefaults());
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
