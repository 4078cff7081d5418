package io.smsfeedback.servlet.fakes;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand-written fakes of the servlet objects the filter touches, as dynamic proxies: only the
 * methods the filter and the helpers use are implemented; any other call fails the test.
 */
public final class FakeHttp {

  private static final AtomicInteger IDS = new AtomicInteger();

  private FakeHttp() {}

  @SuppressWarnings("unchecked")
  static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T)
        Proxy.newProxyInstance(
            FakeHttp.class.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == args[0];
                  default -> type.getSimpleName() + "@fake";
                };
              }
              return handler.invoke(p, m, args);
            });
  }

  static UnsupportedOperationException unsupported(String name) {
    return new UnsupportedOperationException("fake does not implement " + name);
  }

  /** A servlet context with attributes and init parameters. */
  public static final class Context {
    public final Map<String, Object> attributes = new HashMap<>();
    public final Map<String, String> initParams = new HashMap<>();
    public final ServletContext servletContext =
        proxy(
            ServletContext.class,
            (p, m, a) ->
                switch (m.getName()) {
                  case "getAttribute" -> attributes.get((String) a[0]);
                  case "setAttribute" -> attributes.put((String) a[0], a[1]);
                  case "removeAttribute" -> attributes.remove((String) a[0]);
                  case "getInitParameter" -> initParams.get((String) a[0]);
                  case "getInitParameterNames" -> Collections.enumeration(initParams.keySet());
                  case "getClassLoader" -> FakeHttp.class.getClassLoader();
                  case "getFilterRegistrations" -> Map.of();
                  default -> throw unsupported(m.getName());
                });
  }

  /** A session. */
  public static final class Session {
    public final Map<String, Object> attributes = new HashMap<>();
    public final String id = "s" + IDS.incrementAndGet();
    public boolean invalid;
    public final HttpSession httpSession;

    public Session(Context context) {
      httpSession =
          proxy(
              HttpSession.class,
              (p, m, a) -> {
                if (invalid && !m.getName().equals("getId")) {
                  throw new IllegalStateException("session invalidated");
                }
                return switch (m.getName()) {
                  case "getAttribute" -> attributes.get((String) a[0]);
                  case "setAttribute" -> attributes.put((String) a[0], a[1]);
                  case "removeAttribute" -> attributes.remove((String) a[0]);
                  case "getId" -> id;
                  case "getServletContext" -> context.servletContext;
                  case "invalidate" -> {
                    invalid = true;
                    yield null;
                  }
                  default -> throw unsupported(m.getName());
                };
              });
    }
  }

  /** A request and its response. */
  public static final class Exchange {
    public final Context context;
    public String method = "POST";
    public String servletPath = "/verify";
    public String pathInfo;
    public DispatcherType dispatcherType = DispatcherType.REQUEST;
    public Session session;
    public final Map<String, Object> attributes = new HashMap<>();
    public int status = 200;
    public final Map<String, String> headers = new HashMap<>();
    public boolean asyncStarted;
    public final List<AsyncListener> asyncListeners = new ArrayList<>();
    public int sessionsCreated;
    public final HttpServletRequest request;
    public final HttpServletResponse response;
    private final AsyncContext asyncContext;

    public Exchange(Context context) {
      this.context = context;
      this.request =
          proxy(
              HttpServletRequest.class,
              (p, m, a) ->
                  switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getDispatcherType" -> dispatcherType;
                    case "getAttribute" -> attributes.get((String) a[0]);
                    case "setAttribute" -> attributes.put((String) a[0], a[1]);
                    case "removeAttribute" -> attributes.remove((String) a[0]);
                    case "getServletContext" -> context.servletContext;
                    case "isAsyncStarted" -> asyncStarted;
                    case "getAsyncContext" -> {
                      if (!asyncStarted) {
                        throw new IllegalStateException("not async");
                      }
                      yield asyncContext();
                    }
                    case "getSession" -> session(a == null || (Boolean) a[0]);
                    default -> throw unsupported(m.getName());
                  });
      this.response =
          proxy(
              HttpServletResponse.class,
              (p, m, a) ->
                  switch (m.getName()) {
                    case "getStatus" -> status;
                    case "setStatus" -> {
                      status = (Integer) a[0];
                      yield null;
                    }
                    case "sendError" -> {
                      status = (Integer) a[0];
                      yield null;
                    }
                    case "sendRedirect" -> {
                      status = 302;
                      headers.put("Location", (String) a[0]);
                      yield null;
                    }
                    case "getHeader" -> headers.get((String) a[0]);
                    case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                    default -> throw unsupported(m.getName());
                  });
      this.asyncContext =
          proxy(
              AsyncContext.class,
              (p, m, a) ->
                  switch (m.getName()) {
                    case "addListener" -> {
                      asyncListeners.add((AsyncListener) a[0]);
                      yield null;
                    }
                    case "getRequest" -> request;
                    case "getResponse" -> response;
                    default -> throw unsupported(m.getName());
                  });
    }

    private AsyncContext asyncContext() {
      return asyncContext;
    }

    private HttpSession session(boolean create) {
      if (session != null && session.invalid) {
        session = null;
      }
      if (session == null && create) {
        session = new Session(context);
        sessionsCreated++;
      }
      return session == null ? null : session.httpSession;
    }

    /** The app's {@code request.getSession()} (creating one). */
    public HttpSession appSession() {
      return session(true);
    }

    /** Completes an async request: the container calls the listeners' onComplete. */
    public void completeAsync() throws IOException {
      AsyncEvent event = new AsyncEvent(asyncContext, request, response);
      for (AsyncListener l : List.copyOf(asyncListeners)) {
        l.onComplete(event);
      }
    }

    public void timeoutAsync() throws IOException {
      AsyncEvent event = new AsyncEvent(asyncContext, request, response);
      for (AsyncListener l : List.copyOf(asyncListeners)) {
        l.onTimeout(event);
      }
      completeAsync();
    }

    public ServletRequest servletRequest() {
      return request;
    }

    public ServletResponse servletResponse() {
      return response;
    }
  }
}
