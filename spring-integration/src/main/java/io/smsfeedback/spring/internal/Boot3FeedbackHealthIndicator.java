package io.smsfeedback.spring.internal;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The sms-feedback health indicator for Spring Boot 3.5 ({@code spring-boot-actuator}). */
public final class Boot3FeedbackHealthIndicator implements HealthIndicator {

  private final FeedbackHealth health;

  public Boot3FeedbackHealthIndicator(FeedbackHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    FeedbackHealth.Snapshot s = health.snapshot();
    return (s.up() ? Health.up() : Health.down()).withDetails(s.details()).build();
  }
}
