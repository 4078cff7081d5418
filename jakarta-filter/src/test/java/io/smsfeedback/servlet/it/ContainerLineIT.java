package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

/** The compatibility matrix is only as good as this: the Tomcat on the classpath is the one the build asked for. */
class ContainerLineIT {

  @Test
  void tomcatOnTheClasspath_isTheVersionTheBuildSelected() {
    String expected = System.getProperty("expected.tomcat.version");
    assertThat(expected).as("set by failsafe from ${tomcat.version}").isNotBlank();
    assertThat(ServerInfo.getServerNumber()).startsWith(expected);
  }
}
