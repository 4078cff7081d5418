package io.smsfeedback.spring.internal;

import io.smsfeedback.SentOtp;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What sms-feedback loads by name or reflects on at run time, for Spring AOT and GraalVM native
 * images (registered in {@code META-INF/spring/aot.factories}). Spring covers the rest itself: the
 * auto-configuration's beans and conditions, the properties binding, and {@code spring.factories}.
 *
 * <ul>
 *   <li>the JDBC store's class, looked up by name to explain {@code sms.feedback.store=jdbc}
 *       without {@code sms-feedback-jdbc} ({@link TrackingStores});
 *   <li>the failure analyzer, instantiated from {@code spring.factories};
 *   <li>the resources the modules read: the core's {@code version.properties} (the User-Agent) and
 *       the JDBC store's schema scripts ({@code schema-<dialect>.sql});
 *   <li>Java serialization of {@link SentOtp}, which the filter keeps in the HTTP session (Spring
 *       Session JDBC or Redis serializes it).
 * </ul>
 */
public final class SmsFeedbackRuntimeHints implements RuntimeHintsRegistrar {

  /** The core's version resource, beside its HTTP transport. */
  static final String VERSION_RESOURCE = "io/smsfeedback/internal/transport/version.properties";

  /** The JDBC store's schema scripts, one per dialect. */
  static final String SCHEMA_RESOURCES = "io/smsfeedback/jdbc/schema-*.sql";

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    hints.reflection().registerTypeIfPresent(classLoader, TrackingStores.JDBC_STORE_CLASS);
    hints
        .reflection()
        .registerType(SettingsFailureAnalyzer.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
    hints.resources().registerPattern(VERSION_RESOURCE);
    hints.resources().registerPattern(SCHEMA_RESOURCES);
    registerSessionSerialization(hints);
  }

  // Spring Framework 7 deprecates serialization() (for removal) in favour of a flag on the type
  // hint that 6.2 (Spring Boot 3.5) lacks; this call works on both lines.
  @SuppressWarnings("removal")
  private static void registerSessionSerialization(RuntimeHints hints) {
    hints.serialization().registerType(SentOtp.class);
    hints.serialization().registerType(UUID.class);
    hints.serialization().registerType(Instant.class);
    // Instant serializes through its writeReplace() proxy.
    hints.serialization().registerType(TypeReference.of("java.time.Ser"));
  }
}
