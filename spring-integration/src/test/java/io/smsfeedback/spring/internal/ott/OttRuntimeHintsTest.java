package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationConverter;
import org.springframework.security.web.authentication.ott.OneTimeTokenAuthenticationFilter;

class OttRuntimeHintsTest {

  @Test
  void registrar_isListedInAotFactories() {
    assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
        .hasAtLeastOneElementOfType(OttRuntimeHints.class);
  }

  @Test
  void converterField_thatThePostProcessorReads_isRegistered() throws Exception {
    RuntimeHints hints = new RuntimeHints();
    new OttRuntimeHints().registerHints(hints, getClass().getClassLoader());
    Field field =
        AbstractAuthenticationProcessingFilter.class.getDeclaredField(
            OneTimeTokenLoginPostProcessor.CONVERTER_FIELD);
    assertThat(RuntimeHintsPredicates.reflection().onField(field)).accepts(hints);
  }

  @Test
  void postProcessor_readsTheConverterOfThisSpringSecurityLine() {
    assertThat(OneTimeTokenLoginPostProcessor.converterOf(new OneTimeTokenAuthenticationFilter()))
        .isInstanceOf(OneTimeTokenAuthenticationConverter.class);
  }
}
