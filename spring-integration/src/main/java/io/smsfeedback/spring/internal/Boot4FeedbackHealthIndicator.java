package io.smsfeedback.spring.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The sms-feedback health indicator for Spring Boot 4 ({@code spring-boot-health}). */
public final class Boot4FeedbackHealthIndicator implements HealthIndicator {

  private final FeedbackHealth health;

  public Boot4FeedbackHealthIndicator(FeedbackHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    FeedbackHealth.Snapshot s = health.snapshot();
    return (s.up() ? Health.up() : Health.down()).withDetails(s.details()).build();
  }
}
