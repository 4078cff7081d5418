package io.smsfeedback.spring.it.ott;

import io.smsfeedback.SentOtp;
import io.smsfeedback.spring.internal.ott.OtpSender;
import io.smsfeedback.spring.it.app.SmsGateway;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Test plumbing until core's public sender is merged: sends through the simulator's API. */
@TestConfiguration(proxyBeanMethods = false)
@Import(SmsGateway.class)
public class SimulatorSender {

  @Bean
  OtpSender otpSender(SmsGateway gateway, @Value("${sms.feedback.sub-account-id}") String sub) {
    return (destination, text) -> SentOtp.of(sub, gateway.send(destination, text), Instant.now());
  }
}
