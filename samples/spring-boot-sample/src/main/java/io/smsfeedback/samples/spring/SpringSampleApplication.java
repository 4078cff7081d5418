package io.smsfeedback.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: username and password, then a code sent by SMS through 8x8 (Spring
 * Security multi-factor authentication with one-time-token login). The sms-feedback starter
 * reports each code's outcome to 8x8; the app's only part in it is {@code SmsFeedback.remember}
 * in {@link SmsCodeSender}.
 */
@SpringBootApplication
public class SpringSampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SpringSampleApplication.class, args);
  }
}
