package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/** Proves which Spring Boot line this run tests: the build passes the expected one. */
class BootLineTest {

  @Test
  void runsOnTheBootLineTheBuildAskedFor() {
    String expected = System.getProperty("sms.feedback.test.boot-line");
    assertThat(expected).as("system property sms.feedback.test.boot-line").isNotBlank();
    assertThat(SpringBootVersion.getVersion()).startsWith(expected + ".");
    String framework = expected.startsWith("4.") ? "7." : "6.2.";
    assertThat(SpringVersion.getVersion()).startsWith(framework);
  }
}
