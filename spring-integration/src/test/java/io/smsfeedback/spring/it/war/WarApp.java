package io.smsfeedback.spring.it.war;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.support.SpringBootServletInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot WAR: started by the servlet container through {@link SpringBootServletInitializer},
 * its settings in the application's properties only (the subclasses stand for three {@code
 * application.properties} files); nothing of sms-feedback in the container's or the JVM's
 * settings.
 */
@SpringBootApplication
public class WarApp {

  @Bean
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
  }

  @RestController
  static class Hello {
    @GetMapping("/hello")
    String hello() {
      return "hello";
    }
  }

  abstract static class Initializer extends SpringBootServletInitializer {
    abstract Map<String, Object> applicationProperties();

    @Override
    protected SpringApplicationBuilder configure(SpringApplicationBuilder builder) {
      return builder.sources(WarApp.class).properties(applicationProperties());
    }
  }

  /** {@code sms.feedback.enabled=false} (with a key): sms-feedback must not run at all. */
  public static final class Disabled extends Initializer {
    @Override
    Map<String, Object> applicationProperties() {
      return Map.of(
          "sms.feedback.enabled", "false",
          "sms.feedback.api-key", "war-key-0123456789",
          "sms.feedback.sub-account-id", "acme_otp");
    }
  }

  /** No sms-feedback property at all: the starter stays inactive, nothing may fail. */
  public static final class WithoutKey extends Initializer {
    @Override
    Map<String, Object> applicationProperties() {
      return Map.of();
    }
  }

  /** Configured in application.properties: the starter's filter is the only one. */
  public static final class Active extends Initializer {
    @Override
    Map<String, Object> applicationProperties() {
      return Map.of(
          "sms.feedback.api-key", "war-key-0123456789",
          "sms.feedback.sub-account-id", "acme_otp",
          // Loopback; nothing is reported in this test.
          "sms.feedback.base-url", "http://127.0.0.1:9");
    }
  }
}
