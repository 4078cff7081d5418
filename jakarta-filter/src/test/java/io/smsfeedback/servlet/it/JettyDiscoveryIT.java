package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-code registration on Jetty as a Jetty web app gets it: a {@code WebAppContext} with Jetty's
 * own {@code AnnotationConfiguration}, which discovers {@code ServletContainerInitializer}s (ours
 * from {@code META-INF/services} on the class path) and runs them, with no code and no web.xml.
 * The other Jetty tests add the initializer themselves; {@link TomcatDiscoveryIT} is Tomcat's.
 */
class JettyDiscoveryIT {

  @TempDir Path dir;

  @Test
  void initializerIsDiscoveredByJettysAnnotationScanAndRegistersTheFilter() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setBaseResourceAsPath(Files.createDirectories(dir.resolve("app")));
    context.addConfiguration(new AnnotationConfiguration());
    context.setThrowUnavailableOnStartupException(true);
    // No API key needed: disabled still registers (as a pass-through), which is what we look for.
    context.setInitParameter("sms.feedback.enabled", "false");
    server.setHandler(context);
    try {
      server.start();
      assertThat(context.isAvailable()).isTrue();

      TomcatDiscoveryIT.assertRegisteredPassThrough(context.getServletContext());
    } finally {
      server.stop();
    }
  }
}
