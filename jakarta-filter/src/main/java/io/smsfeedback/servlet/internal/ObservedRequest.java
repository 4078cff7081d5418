package io.smsfeedback.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.util.Enumeration;
import org.jspecify.annotations.Nullable;

/**
 * The request as the app sees it inside the filter: its sessions tell the filter about every write
 * of the umid attribute while the write happens, so that a umid replaced by a concurrent request on
 * the same session before this one ends is still seen (the module README's decision table, row 0).
 * Everything else is delegated unchanged; only the HttpSession API is used, so it works the same
 * with container sessions and with Spring Session.
 */
final class ObservedRequest extends HttpServletRequestWrapper {

  /** Told about a write of the umid attribute, after the write. Must not throw. */
  interface WriteObserver {
    void written(
        HttpSession session, @Nullable Object previous, @Nullable Object previousSent, Object value);
  }

  private final String attribute;
  private final String sentAttribute;
  private final WriteObserver observer;
  private @Nullable ObservedSession last;

  ObservedRequest(
      HttpServletRequest request,
      String attribute,
      String sentAttribute,
      WriteObserver observer) {
    super(request);
    this.attribute = attribute;
    this.sentAttribute = sentAttribute;
    this.observer = observer;
  }

  @Override
  public @Nullable HttpSession getSession(boolean create) {
    return observe(super.getSession(create));
  }

  @Override
  public HttpSession getSession() {
    HttpSession session = observe(super.getSession());
    if (session == null) {
      throw new IllegalStateException("the container returned no session");
    }
    return session;
  }

  private @Nullable HttpSession observe(@Nullable HttpSession session) {
    if (session == null) {
      return null;
    }
    ObservedSession observed = last;
    if (observed == null || observed.delegate != session) {
      observed = new ObservedSession(session);
      last = observed;
    }
    return observed;
  }

  private final class ObservedSession implements HttpSession {
    final HttpSession delegate;

    ObservedSession(HttpSession delegate) {
      this.delegate = delegate;
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      if (value == null || !attribute.equals(name)) {
        delegate.setAttribute(name, value);
        return;
      }
      Object previous = delegate.getAttribute(attribute);
      Object previousSent = delegate.getAttribute(sentAttribute);
      delegate.setAttribute(name, value);
      observer.written(delegate, previous, previousSent, value);
    }

    @Override
    public long getCreationTime() {
      return delegate.getCreationTime();
    }

    @Override
    public String getId() {
      return delegate.getId();
    }

    @Override
    public long getLastAccessedTime() {
      return delegate.getLastAccessedTime();
    }

    @Override
    public ServletContext getServletContext() {
      return delegate.getServletContext();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
      delegate.setMaxInactiveInterval(interval);
    }

    @Override
    public int getMaxInactiveInterval() {
      return delegate.getMaxInactiveInterval();
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return delegate.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      return delegate.getAttributeNames();
    }

    @Override
    public void removeAttribute(String name) {
      delegate.removeAttribute(name);
    }

    @Override
    public void invalidate() {
      delegate.invalidate();
    }

    @Override
    public boolean isNew() {
      return delegate.isNew();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
