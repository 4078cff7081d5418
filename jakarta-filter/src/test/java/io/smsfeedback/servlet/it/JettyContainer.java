package io.smsfeedback.servlet.it;

import jakarta.servlet.ServletContext;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12, ee10 (Servlet 6.0). */
final class JettyContainer implements ServletContainer {

  private Server server;
  private ServerConnector connector;
  private ServletContextHandler context;

  @Override
  public void start(WebApp app) throws Exception {
    server = new Server();
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    app.contextParams.forEach(context::setInitParameter);
    for (WebApp.ServletSpec s : app.servlets) {
      ServletHolder holder = new ServletHolder(s.name(), s.servlet());
      holder.setAsyncSupported(true);
      context.addServlet(holder, s.path());
    }
    for (WebApp.FilterSpec f : app.filters) {
      FilterHolder holder = new FilterHolder(f.filter());
      holder.setName(f.name());
      holder.setAsyncSupported(true);
      context.addFilter(holder, f.pattern(), f.types());
    }
    app.initializers.forEach(sci -> context.addServletContainerInitializer(sci));
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw new StartFailed("Jetty failed to start the web app", e);
    }
    if (!context.isAvailable()) {
      server.stop();
      throw new StartFailed("Jetty marked the web app unavailable", null);
    }
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public ServletContext servletContext() {
    return context.getServletContext();
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public String toString() {
    return "Jetty 12 ee10";
  }
}
