package io.smsfeedback.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: username and password, then a code sent by SMS through 8x8 (Spring
 * Security multi-factor authentication with one-time-token login). The sms-feedback starter
 * makes, sends and checks the codes and reports each code's outcome to 8x8; the app's only part in
 * it is the {@code SmsPhoneNumbers} bean in {@link SecurityConfig}.
 */
@SpringBootApplication
public class SpringSampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SpringSampleApplication.class, args);
  }
}
