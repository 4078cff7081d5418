package io.smsfeedback.spring.internal;

import io.smsfeedback.FeedbackSettings;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code sms.feedback.api-key} is set (in any relaxed form, e.g. {@code
 * SMS_FEEDBACK_API_KEY}). When it is not, says once per application context, at INFO, that
 * sms-feedback stays inactive.
 */
public final class OnApiKeyCondition extends SpringBootCondition {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.spring");

  /** Contexts already told; weak so that closed contexts are forgotten. */
  private static final Map<Object, Boolean> NOTIFIED =
      Collections.synchronizedMap(new WeakHashMap<>());

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConditionMessage.Builder message = ConditionMessage.forCondition("sms-feedback API key");
    String key =
        Binder.get(context.getEnvironment())
            .bind(FeedbackSettings.API_KEY, String.class)
            .orElse("");
    if (!key.isBlank()) {
      return ConditionOutcome.match(message.found("property").items(FeedbackSettings.API_KEY));
    }
    Object owner =
        context.getBeanFactory() != null ? context.getBeanFactory() : context.getEnvironment();
    if (NOTIFIED.put(owner, Boolean.TRUE) == null) {
      LOG.info(
          "sms-feedback is inactive: {} is not set (environment: {})",
          FeedbackSettings.API_KEY,
          FeedbackSettings.environmentVariable(FeedbackSettings.API_KEY));
    }
    return ConditionOutcome.noMatch(message.didNotFind("property").items(FeedbackSettings.API_KEY));
  }
}
