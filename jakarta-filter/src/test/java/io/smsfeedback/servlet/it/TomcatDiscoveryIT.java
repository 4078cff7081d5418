package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.SmsFeedbackFilter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-code registration as a container really does it: Tomcat's {@code ContextConfig} finds the
 * initializer through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer} on the
 * class path, with no code and no web.xml. (The other container tests add the initializers that
 * {@code ServiceLoader} finds, which is the same lookup.)
 */
class TomcatDiscoveryIT {

  @TempDir Path dir;

  @Test
  void initializerIsDiscoveredAndRegistersTheFilter() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(dir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Path docBase = Files.createDirectories(dir.resolve("app"));
    Context context = tomcat.addWebapp("", docBase.toString());
    StandardJarScanner scanner = new StandardJarScanner();
    scanner.setScanClassPath(false);
    context.setJarScanner(scanner);
    // No API key needed: disabled still registers (as a pass-through), which is what we look for.
    context.addParameter("sms.feedback.enabled", "false");
    try {
      tomcat.start();
      assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
      assertRegisteredPassThrough(context.getServletContext());
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  /** The initializer ran: our filter for {@code /*}, inactive because the test disabled it. */
  static void assertRegisteredPassThrough(ServletContext servletContext) {
    FilterRegistration registration =
        servletContext.getFilterRegistration(SmsFeedbackFilter.DEFAULT_FILTER_NAME);
    assertThat(registration).as("registered by the discovered initializer").isNotNull();
    assertThat(registration.getClassName()).isEqualTo(SmsFeedbackFilter.class.getName());
    assertThat(registration.getUrlPatternMappings()).containsExactly("/*");
    SmsFeedbackFilter filter = SmsFeedbackFilter.find(servletContext);
    assertThat(filter).isNotNull();
    assertThat(filter.isActive()).isFalse();
  }
}
