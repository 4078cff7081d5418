package io.smsfeedback.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One parsed HTTP/1.x request with its whole body. Immutable. */
public final class HttpRequest {

  private final String method;
  private final String target;
  private final String path;
  private final String query;
  private final String version;
  private final List<String[]> headers;
  private final byte[] body;
  private final boolean keepAlive;

  HttpRequest(
      String method,
      String target,
      String path,
      String query,
      String version,
      List<String[]> headers,
      byte[] body,
      boolean keepAlive) {
    this.method = method;
    this.target = target;
    this.path = path;
    this.query = query;
    this.version = version;
    this.headers = headers;
    this.body = body;
    this.keepAlive = keepAlive;
  }

  /** The method, as sent (case-sensitive, e.g. {@code POST}). */
  public String method() {
    return method;
  }

  /** The request target as sent, query included. */
  public String target() {
    return target;
  }

  /** The path of the target, still percent-encoded, without the query. */
  public String path() {
    return path;
  }

  /** The raw query after {@code ?}, or null. */
  public String query() {
    return query;
  }

  /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
  public String version() {
    return version;
  }

  /** The body (empty when none). The array is shared: do not modify it. */
  public byte[] body() {
    return body;
  }

  /** Whether the connection stays open after the answer, as the client asked. */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** The first value of a header (name case-insensitive), or null. */
  public String header(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String[] h : headers) {
      if (h[0].equals(lower)) {
        return h[1];
      }
    }
    return null;
  }

  /** How many times a header occurs (name case-insensitive). */
  public int headerCount(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int n = 0;
    for (String[] h : headers) {
      if (h[0].equals(lower)) {
        n++;
      }
    }
    return n;
  }

  /** All headers by lower-case name, each name's values in arrival order. Immutable. */
  public Map<String, List<String>> headerMap() {
    Map<String, List<String>> map = new HashMap<>();
    for (String[] h : headers) {
      map.computeIfAbsent(h[0], k -> new ArrayList<>(1)).add(h[1]);
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(map);
  }
}
