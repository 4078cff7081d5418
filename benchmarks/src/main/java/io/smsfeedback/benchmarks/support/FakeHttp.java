package io.smsfeedback.benchmarks.support;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import org.jspecify.annotations.Nullable;

/**
 * Minimal servlet objects for benchmarking the filter without a container. The request and the
 * response override only what the filter touches; anything else reaches a proxy that throws, so a
 * benchmark cannot silently take a path the fakes do not model. Attributes live in small fixed
 * arrays: setting and removing them allocates nothing, so the allocation the benchmarks see is
 * the filter's own.
 */
public final class FakeHttp {

  private FakeHttp() {}

  @SuppressWarnings("unchecked")
  static <T> T unsupported(Class<T> type) {
    return (T)
        Proxy.newProxyInstance(
            FakeHttp.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(
                  "fake " + type.getSimpleName() + " does not implement " + method.getName());
            });
  }

  /** Name/value pairs in a fixed array; no allocation on set or remove. */
  static final class Attributes {
    private final String[] names;
    private final Object[] values;

    Attributes(int capacity) {
      names = new String[capacity];
      values = new Object[capacity];
    }

    @Nullable Object get(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i] != null && names[i].equals(name)) {
          return values[i];
        }
      }
      return null;
    }

    void set(String name, @Nullable Object value) {
      if (value == null) {
        remove(name);
        return;
      }
      int free = -1;
      for (int i = 0; i < names.length; i++) {
        if (names[i] == null) {
          if (free < 0) {
            free = i;
          }
        } else if (names[i].equals(name)) {
          values[i] = value;
          return;
        }
      }
      if (free < 0) {
        throw new IllegalStateException("fake attributes full: " + name);
      }
      names[free] = name;
      values[free] = value;
    }

    void remove(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i] != null && names[i].equals(name)) {
          names[i] = null;
          values[i] = null;
        }
      }
    }

    void clear() {
      for (int i = 0; i < names.length; i++) {
        names[i] = null;
        values[i] = null;
      }
    }
  }

  /** A session with a handful of attributes. */
  public static final class Session implements HttpSession {
    private final Attributes attributes = new Attributes(8);

    @Override
    public @Nullable Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      attributes.set(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      attributes.remove(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      return Collections.emptyEnumeration();
    }

    @Override
    public long getCreationTime() {
      return 0;
    }

    @Override
    public String getId() {
      return "fake-session";
    }

    @Override
    public long getLastAccessedTime() {
      return 0;
    }

    @Override
    public ServletContext getServletContext() {
      throw new UnsupportedOperationException("getServletContext");
    }

    @Override
    public void setMaxInactiveInterval(int interval) {}

    @Override
    public int getMaxInactiveInterval() {
      return 1800;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isNew() {
      return false;
    }
  }

  /** A request: method, servlet path, an optional session, request attributes. */
  public static final class Request extends HttpServletRequestWrapper {
    private final String method;
    private final String servletPath;
    private final @Nullable Session session;
    private final Attributes attributes = new Attributes(4);

    public Request(String method, String servletPath, @Nullable Session session) {
      super(unsupported(HttpServletRequest.class));
      this.method = method;
      this.servletPath = servletPath;
      this.session = session;
    }

    /** Forgets the request attributes, so the same object can be filtered again. */
    public void reset() {
      attributes.clear();
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getServletPath() {
      return servletPath;
    }

    @Override
    public @Nullable String getPathInfo() {
      return null;
    }

    @Override
    public @Nullable HttpSession getSession(boolean create) {
      return session;
    }

    @Override
    public @Nullable HttpSession getSession() {
      return session;
    }

    @Override
    public DispatcherType getDispatcherType() {
      return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncStarted() {
      return false;
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      attributes.set(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      attributes.remove(name);
    }
  }

  /** A response: a status and no headers. */
  public static final class Response extends HttpServletResponseWrapper {
    private int status = 200;

    public Response() {
      super(unsupported(HttpServletResponse.class));
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public @Nullable String getHeader(String name) {
      return null;
    }
  }
}
