package io.smsfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmsFeedbackInitializerTest {

  @TempDir Path classes;

  @Test
  void springBootStarterPresent_whenTheStarterAndBootAutoConfigurationAreVisible() throws Exception {
    touch(SmsFeedbackInitializer.STARTER_MARKER);
    touch(SmsFeedbackInitializer.BOOT_MARKER);
    try (URLClassLoader loader = loader()) {
      assertThat(SmsFeedbackInitializer.springBootStarterPresent(loader)).isTrue();
    }
  }

  @Test
  void springBootStarterAbsent_withoutSpringBoot() throws Exception {
    touch(SmsFeedbackInitializer.STARTER_MARKER);
    try (URLClassLoader loader = loader()) {
      assertThat(SmsFeedbackInitializer.springBootStarterPresent(loader)).isFalse();
    }
  }

  @Test
  void springBootStarterAbsent_onThePlainServletClassPath() {
    assertThat(SmsFeedbackInitializer.springBootStarterPresent(getClass().getClassLoader()))
        .isFalse();
  }

  private void touch(String resource) throws IOException {
    Path file = classes.resolve(resource);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[0]);
  }

  private URLClassLoader loader() throws IOException {
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
  }
}
