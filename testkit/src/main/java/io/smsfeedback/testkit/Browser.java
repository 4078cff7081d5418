package io.smsfeedback.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user's browser for tests over loopback: its own cookies (so its own session), redirects not
 * followed so that tests can read them. Failures to connect or read throw unchecked.
 */
public final class Browser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final URI base;
  private final CookieManager cookies;
  private final HttpClient client;

  /** Talks to {@code base} ({@code http://127.0.0.1:port/...}); paths resolve against it. */
  public Browser(URI base) {
    this(base, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
  }

  /** Talks to {@code http://127.0.0.1:port/}. */
  public Browser(int port) {
    this(URI.create("http://127.0.0.1:" + port + "/"));
  }

  private Browser(URI base, CookieManager cookies) {
    this.base = base;
    this.cookies = cookies;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The same user (same cookies) talking to {@code newBase}, e.g. a restarted server. */
  public Browser at(URI newBase) {
    return new Browser(newBase, cookies);
  }

  /** The same user (same cookies) talking to {@code http://127.0.0.1:port/}. */
  public Browser at(int port) {
    return at(URI.create("http://127.0.0.1:" + port + "/"));
  }

  /** The value of a cookie the server set, or null. */
  public String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** POSTs a form to {@code path}; {@code nameValues} alternate names and values. */
  public HttpResponse<String> post(String path, String... nameValues) {
    return postForm(path, new ArrayList<>(), nameValues);
  }

  /** Opens {@code page}, then submits a form to {@code action} with the page's CSRF token. */
  public HttpResponse<String> submit(String page, String action, String... nameValues) {
    HttpResponse<String> form = get(page);
    Matcher csrf = CSRF.matcher(form.body());
    if (form.statusCode() != 200 || !csrf.find()) {
      throw new AssertionError("no form on " + page + ": HTTP " + form.statusCode());
    }
    List<String> pairs = new ArrayList<>();
    pairs.add("_csrf=" + enc(csrf.group(1)));
    return postForm(action, pairs, nameValues);
  }

  /**
   * Runs {@code copies} calls of {@code request} at the same moment, each on its own thread (all
   * released together), and returns what each returned, in no particular order. For the attacker's
   * move of firing the same request in parallel on one session: {@code atOnce(20, () ->
   * bot.post("/otp/send"))}. The first failure is rethrown once every call has ended.
   */
  public static <T> List<T> atOnce(int copies, Callable<T> request) {
    if (copies < 1) {
      throw new IllegalArgumentException("copies must be >= 1: " + copies);
    }
    ExecutorService pool = Executors.newFixedThreadPool(copies);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> calls = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return request.call();
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> call : calls) {
        results.add(call.get(30, TimeUnit.SECONDS));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a parallel request failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A response's {@code Location} header, or "". */
  public static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElse("");
  }

  private HttpResponse<String> postForm(String path, List<String> pairs, String... nameValues) {
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      pairs.add(enc(nameValues[i]) + "=" + enc(nameValues[i + 1]));
    }
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs))));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
