package io.smsfeedback.servlet.it;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Tomcat 11 (Servlet 6.1). */
final class TomcatContainer implements ServletContainer {

  private final boolean persistentSessions;
  private Tomcat tomcat;
  private Context context;
  private Path baseDir;

  TomcatContainer() {
    this(false);
  }

  /**
   * @param persistentSessions {@code StandardManager} writes the sessions to {@code SESSIONS.ser}
   *     when the web app stops and reads them back when it starts
   */
  TomcatContainer(boolean persistentSessions) {
    this.persistentSessions = persistentSessions;
  }

  /** Stops Tomcat (persisting sessions if enabled) and starts a new one on the same base dir. */
  void restart(WebApp app) throws Exception {
    tomcat.stop();
    tomcat.destroy();
    tomcat = null;
    start(app);
  }

  @Override
  public void start(WebApp app) throws Exception {
    if (baseDir == null) {
      baseDir = Files.createTempDirectory("tomcat-it");
    }
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Files.createDirectories(baseDir.resolve("webapp"));
    context = tomcat.addContext("", baseDir.resolve("webapp").toString());
    StandardManager manager = new StandardManager();
    // Tomcat 11's StandardManager persists nothing unless given a pathname; the distribution's
    // conf/context.xml is where SESSIONS.ser is usually switched on.
    manager.setPathname(persistentSessions ? "SESSIONS.ser" : null);
    context.setManager(manager);
    app.contextParams.forEach(context::addParameter);
    for (WebApp.ServletSpec s : app.servlets) {
      Wrapper w = Tomcat.addServlet(context, s.name(), s.servlet());
      w.setAsyncSupported(true);
      context.addServletMappingDecoded(s.path(), s.name());
    }
    for (WebApp.FilterSpec f : app.filters) {
      FilterDef def = new FilterDef();
      def.setFilterName(f.name());
      def.setFilter(f.filter());
      def.setFilterClass(f.filter().getClass().getName());
      def.setAsyncSupported("true");
      context.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName(f.name());
      map.addURLPattern(f.pattern());
      f.types().forEach(t -> map.setDispatcher(t.name()));
      context.addFilterMap(map);
    }
    app.initializers.forEach(sci -> context.addServletContainerInitializer(sci, null));
    try {
      tomcat.start();
    } catch (Exception e) {
      close();
      throw new StartFailed("Tomcat failed to start", e);
    }
    if (context.getState() != LifecycleState.STARTED) {
      LifecycleState state = context.getState();
      close();
      throw new StartFailed("Tomcat did not start the web app: " + state, null);
    }
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @Override
  public ServletContext servletContext() {
    return context.getServletContext();
  }

  @Override
  public void close() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
      tomcat = null;
    }
    if (baseDir != null) {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(TomcatContainer::delete);
      }
      baseDir = null;
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return "Tomcat 11";
  }
}
