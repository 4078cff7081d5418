package io.smsfeedback.servlet.it;

import jakarta.servlet.ServletContext;
import java.net.URI;

/** An embedded servlet container on a random loopback port. */
public interface ServletContainer extends AutoCloseable {

  /**
   * Deploys {@code app} at the root context and starts.
   *
   * @throws StartFailed if the web app did not start
   */
  void start(WebApp app) throws Exception;

  URI baseUri();

  ServletContext servletContext();

  /** Stops the container (and the web app: filters destroyed, context listeners notified). */
  @Override
  void close() throws Exception;

  /** The web app failed to start; the cause is the container's reason. */
  final class StartFailed extends Exception {
    public StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  enum Kind {
    JETTY,
    TOMCAT;

    ServletContainer create() {
      return this == JETTY ? new JettyContainer() : new TomcatContainer();
    }
  }
}
