package io.smsfeedback.servlet.it;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** What to deploy: context params, servlets, explicitly registered filters, initializers. */
public final class WebApp {

  record ServletSpec(String name, Servlet servlet, String path) {}

  record FilterSpec(String name, Filter filter, String pattern, EnumSet<DispatcherType> types) {}

  final Map<String, String> contextParams = new LinkedHashMap<>();
  final List<ServletSpec> servlets = new ArrayList<>();
  final List<FilterSpec> filters = new ArrayList<>();
  final List<ServletContainerInitializer> initializers = new ArrayList<>();

  public WebApp param(String name, String value) {
    contextParams.put(name, value);
    return this;
  }

  public WebApp servlet(String name, Servlet servlet, String path) {
    servlets.add(new ServletSpec(name, servlet, path));
    return this;
  }

  /** A filter declared by the app (like web.xml), for REQUEST and ASYNC on {@code /*}. */
  public WebApp filter(String name, Filter filter) {
    filters.add(
        new FilterSpec(
            name, filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)));
    return this;
  }

  /** Runs {@code sci} at start, after the ones added before it. */
  public WebApp initializer(ServletContainerInitializer sci) {
    initializers.add(sci);
    return this;
  }

  /**
   * Runs the {@code ServletContainerInitializer}s that {@code META-INF/services} on the test class
   * path declares (ours among them), as a container does for the jars of a web app.
   */
  public WebApp discoverInitializers() {
    for (ServletContainerInitializer sci : ServiceLoader.load(ServletContainerInitializer.class)) {
      if (sci.getClass().getName().startsWith("io.smsfeedback.")) {
        initializers.add(sci);
      }
    }
    if (initializers.isEmpty()) {
      throw new IllegalStateException("no io.smsfeedback ServletContainerInitializer found");
    }
    return this;
  }
}
