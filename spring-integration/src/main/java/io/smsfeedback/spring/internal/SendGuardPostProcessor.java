package io.smsfeedback.spring.internal;

import io.smsfeedback.SmsSender;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * With {@code sms.feedback.guard.enabled=true}: every {@link SmsSender} bean (the starter's, the
 * application's, the one the SMS login and {@code SmsFeedback.sendOtp} use) is replaced by a
 * {@link io.smsfeedback.insight.SendGuard} in front of it, so whoever injects a sender gets the
 * guarded one.
 */
public final class SendGuardPostProcessor implements BeanPostProcessor {

  private final ObjectProvider<GuardRefusals> guard;

  public SendGuardPostProcessor(ObjectProvider<GuardRefusals> guard) {
    this.guard = guard;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    return bean instanceof SmsSender sender ? guard.getObject().guard(sender) : bean;
  }
}
