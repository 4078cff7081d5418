package io.smsfeedback.spring.internal;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.spring.SmsFeedbackProperties;

/**
 * Turns the bound {@link SmsFeedbackProperties} into the core's settings through its builder, whose
 * validation messages name the property ({@code sms.feedback.queue-capacity must be ...}).
 */
public final class PropertiesMapper {

  private PropertiesMapper() {}

  /**
   * @throws IllegalArgumentException naming the first invalid or missing property
   */
  public static FeedbackSettings feedbackSettings(SmsFeedbackProperties p) {
    FeedbackSettings.Builder b = FeedbackSettings.builder();
    String apiKey = PropertyReader.blankAsAbsent(p.getApiKey());
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    String subAccountId = PropertyReader.blankAsAbsent(p.getSubAccountId());
    if (subAccountId != null) {
      b.subAccountId(subAccountId);
    }
    return b.region(p.getRegion())
        .baseUrl(p.getBaseUrl())
        .validity(p.getValidity())
        .queueCapacity(p.getQueueCapacity())
        .maxConcurrentRequests(p.getMaxConcurrentRequests())
        .connectTimeout(p.getConnectTimeout())
        .responseTimeout(p.getResponseTimeout())
        .retryMaxBackoff(p.getRetry().getMaxBackoff())
        .retryInitialBackoff(p.getRetry().getInitialBackoff())
        .shutdownTimeout(p.getShutdownTimeout())
        .maxAttempts(p.getMaxAttempts())
        .abandonAfter(p.getAbandonAfter())
        .maxTracked(p.getMaxTracked())
        .build();
  }

  /**
   * The servlet filter's settings: enabled (the starter is active), with the core's subaccount.
   *
   * @throws IllegalArgumentException naming the first invalid property
   */
  public static FilterSettings filterSettings(SmsFeedbackProperties p) {
    return FilterSettings.builder()
        .enabled(true)
        .subAccountId(PropertyReader.blankAsAbsent(p.getSubAccountId()))
        .sessionAttribute(p.getSessionAttribute())
        .verificationPaths(p.getVerification().getPaths())
        .verificationMethods(p.getVerification().getMethods())
        .failureLocation(p.getVerification().getFailureLocation())
        .failureStatuses(p.getVerification().getFailureStatuses())
        .build();
  }
}
