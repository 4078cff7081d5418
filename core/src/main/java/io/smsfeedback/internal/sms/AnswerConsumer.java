package io.smsfeedback.internal.sms;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/** Reads an {@link Answer}, keeping at most {@value #MAX_BODY_BYTES} bytes of the body. */
final class AnswerConsumer extends AbstractBinResponseConsumer<Answer> {

  static final int MAX_BODY_BYTES = 16 * 1024;

  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status;
  private @Nullable String retryAfter;

  @Override
  protected void start(HttpResponse response, @Nullable ContentType contentType) {
    status = response.getCode();
    Header h = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
    retryAfter = h == null ? null : h.getValue();
  }

  @Override
  protected int capacityIncrement() {
    return Integer.MAX_VALUE;
  }

  @Override
  protected void data(ByteBuffer src, boolean endOfStream) {
    int keep = Math.min(src.remaining(), MAX_BODY_BYTES - body.size());
    if (keep > 0) {
      byte[] chunk = new byte[keep];
      src.get(chunk);
      body.write(chunk, 0, keep);
    }
    src.position(src.limit());
  }

  @Override
  protected Answer buildResult() {
    return new Answer(status, retryAfter, body.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void releaseResources() {}

}
