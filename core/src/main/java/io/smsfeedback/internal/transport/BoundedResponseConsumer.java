package io.smsfeedback.internal.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

/**
 * Reads a response keeping at most {@code limit} bytes of its body; the rest is read and
 * discarded so that the connection stays reusable. Not thread-safe: HttpClient calls it from one
 * I/O thread at a time.
 */
final class BoundedResponseConsumer implements AsyncResponseConsumer<BoundedResponseConsumer.Raw> {

  /** The status, {@code Retry-After} header and up to {@code limit} bytes of body, as text. */
  record Raw(int status, @Nullable String retryAfter, String body) {}

  private final int limit;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private volatile @Nullable HttpResponse response;
  private @Nullable FutureCallback<Raw> callback;

  BoundedResponseConsumer(int limit) {
    this.limit = limit;
  }

  @Override
  public void consumeResponse(
      HttpResponse response,
      @Nullable EntityDetails entityDetails,
      HttpContext context,
      FutureCallback<Raw> callback) {
    this.response = response;
    this.callback = callback;
    if (entityDetails == null) {
      callback.completed(result());
    }
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) {}

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws java.io.IOException {
    capacityChannel.update(Integer.MAX_VALUE);
  }

  @Override
  public void consume(ByteBuffer src) {
    int keep = Math.min(src.remaining(), limit - body.size());
    for (int k = 0; k < keep; k++) {
      body.write(src.get());
    }
    src.position(src.limit());
  }

  @Override
  public void streamEnd(@Nullable List<? extends Header> trailers) {
    FutureCallback<Raw> cb = callback;
    if (cb != null) {
      cb.completed(result());
    }
  }

  @Override
  public void failed(Exception cause) {
    FutureCallback<Raw> cb = callback;
    if (cb != null) {
      cb.failed(cause);
    }
  }

  @Override
  public void releaseResources() {}

  /**
   * The status line and headers, without the body, if the response head has arrived: what 8x8
   * answered even when the body then broke off. Safe to call from any thread.
   */
  @Nullable Raw head() {
    HttpResponse r = response;
    return r == null ? null : raw(r, "");
  }

  private Raw result() {
    HttpResponse r = java.util.Objects.requireNonNull(response);
    return raw(r, new String(body.toByteArray(), StandardCharsets.UTF_8));
  }

  private static Raw raw(HttpResponse r, String body) {
    Header ra = r.getFirstHeader("Retry-After");
    return new Raw(r.getCode(), ra == null ? null : ra.getValue(), body);
  }
}
