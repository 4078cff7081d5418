package io.smsfeedback.spring.internal.ott;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The field {@link OneTimeTokenLoginPostProcessor} reads by reflection (a filter's converter), for
 * Spring AOT and native images; registered in {@code META-INF/spring/aot.factories}.
 */
public final class OttRuntimeHints implements RuntimeHintsRegistrar {

  static final String FILTER_CLASS =
      "org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter";

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    if (ClassUtils.isPresent(FILTER_CLASS, classLoader)) {
      hints
          .reflection()
          .registerField(
              ReflectionUtils.findField(
                  ClassUtils.resolveClassName(FILTER_CLASS, classLoader),
                  OneTimeTokenLoginPostProcessor.CONVERTER_FIELD));
    }
  }
}
