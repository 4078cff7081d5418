package io.smsfeedback.spring.internal.ott;

import jakarta.servlet.Filter;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationConverter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationFilter;

/**
 * Wraps the converter of every {@link OneTimeTokenAuthenticationFilter} ({@code POST /login/ott})
 * in the application's security filter chains with {@link UsernameBindingConverter}, so the typed
 * code reaches the token service together with its user and the application's {@code
 * oneTimeTokenLogin()} needs no extra setting.
 *
 * <p>Spring Security has no getter for a filter's converter; the one configured (Spring's default,
 * or the application's {@code authenticationConverter(...)}) is read from its field and kept as the
 * delegate. Should that field ever be missing, Spring's default converter is wrapped and a WARN says
 * so.
 */
public final class OneTimeTokenLoginPostProcessor implements BeanPostProcessor {

  /** The field of {@link AbstractAuthenticationProcessingFilter} holding its converter. */
  static final String CONVERTER_FIELD = "authenticationConverter";

  private static final Logger LOG = LoggerFactory.getLogger(OneTimeTokenLoginPostProcessor.class);

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof SecurityFilterChain chain) {
      for (Filter filter : chain.getFilters()) {
        if (filter instanceof OneTimeTokenAuthenticationFilter ott) {
          AuthenticationConverter current = converterOf(ott);
          if (!(current instanceof UsernameBindingConverter)) {
            ott.setAuthenticationConverter(
                new UsernameBindingConverter(
                    current != null ? current : new OneTimeTokenAuthenticationConverter()));
          }
        }
      }
    }
    return bean;
  }

  static @Nullable AuthenticationConverter converterOf(AbstractAuthenticationProcessingFilter filter) {
    try {
      Field field =
          AbstractAuthenticationProcessingFilter.class.getDeclaredField(CONVERTER_FIELD);
      field.setAccessible(true);
      return (AuthenticationConverter) field.get(filter);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Cannot read the one-time-token login filter's converter ({}); using Spring Security's"
              + " default converter with sms-feedback's username binding",
          e.toString());
      return null;
    }
  }
}
