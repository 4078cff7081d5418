package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.SentOtp;
import io.smsfeedback.jdbc.JdbcDialect;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

/** The AOT hints name what the starter and the modules it wires really load at run time. */
@SuppressWarnings("removal") // serialization predicates: see SmsFeedbackRuntimeHints
class SmsFeedbackRuntimeHintsTest {

  private final RuntimeHints hints = registered();

  private static RuntimeHints registered() {
    RuntimeHints hints = new RuntimeHints();
    new SmsFeedbackRuntimeHints()
        .registerHints(hints, SmsFeedbackRuntimeHintsTest.class.getClassLoader());
    return hints;
  }

  @Test
  void registrar_isListedInAotFactories() {
    assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
        .hasAtLeastOneElementOfType(SmsFeedbackRuntimeHints.class);
  }

  @Test
  void jdbcStoreClass_thatTrackingStoresLooksUpByName_isRegistered() {
    assertThat(TrackingStores.JDBC_STORE_CLASS).isEqualTo(JdbcTrackingStore.class.getName());
    assertThat(RuntimeHintsPredicates.reflection().onType(JdbcTrackingStore.class)).accepts(hints);
  }

  @Test
  void jdbcStoreClass_isNotRegisteredWhenAbsent() {
    RuntimeHints without = new RuntimeHints();
    ClassLoader noJdbc =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.smsfeedback.jdbc.")) {
              throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
          }
        };
    new SmsFeedbackRuntimeHints().registerHints(without, noJdbc);
    assertThat(RuntimeHintsPredicates.reflection().onType(JdbcTrackingStore.class))
        .rejects(without);
  }

  @Test
  void failureAnalyzer_fromSpringFactories_canBeInstantiated() throws Exception {
    assertThat(
            RuntimeHintsPredicates.reflection()
                .onConstructor(SettingsFailureAnalyzer.class.getConstructor())
                .invoke())
        .accepts(hints);
  }

  @Test
  void coreVersionResource_existsAndIsRegistered() {
    String resource = "io/smsfeedback/internal/transport/version.properties";
    assertThat(getClass().getClassLoader().getResource(resource)).isNotNull();
    assertThat(RuntimeHintsPredicates.resource().forResource(resource)).accepts(hints);
  }

  @Test
  void everyDialectsSchemaScript_existsAndIsRegistered() {
    for (JdbcDialect dialect : JdbcDialect.values()) {
      String resource = dialect.schemaResource();
      assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
      assertThat(RuntimeHintsPredicates.resource().forResource(resource))
          .as(resource)
          .accepts(hints);
    }
  }

  @Test
  void sentOtp_keptInTheSession_isSerializableWithWhatItHolds() {
    for (Class<?> type : new Class<?>[] {SentOtp.class, UUID.class, Instant.class}) {
      assertThat(RuntimeHintsPredicates.serialization().onType(type)).as(type.getName()).accepts(hints);
    }
    assertThat(RuntimeHintsPredicates.serialization().onType(TypeReference.of("java.time.Ser")))
        .accepts(hints);
  }

  @Test
  void nothingElse_unrelatedTypesAndResourcesAreNotRegistered() {
    assertThat(RuntimeHintsPredicates.reflection().onType(TrackingStores.class)).rejects(hints);
    assertThat(RuntimeHintsPredicates.resource().forResource("io/smsfeedback/other.properties"))
        .rejects(hints);
  }
}
