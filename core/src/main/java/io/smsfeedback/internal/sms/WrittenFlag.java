package io.smsfeedback.internal.sms;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.jspecify.annotations.Nullable;

/**
 * Set once the request may have reached the server. HttpClient asks the body's producer for data
 * only after the request line and headers went to a connected socket, so until then nothing that
 * could send an SMS has left (a server cannot act on a request without its body), and a failure
 * (connection refused, connect timeout, no pooled connection) is safe to retry.
 */
final class WrittenFlag {

  private final AtomicBoolean set = new AtomicBoolean();

  boolean isSet() {
    return set.get();
  }

  /** {@code body} as a request entity that sets this flag when it is first asked for data. */
  AsyncEntityProducer wrap(byte[] body, ContentType type) {
    AsyncEntityProducer delegate = AsyncEntityProducers.create(body, type);
    return new AsyncEntityProducer() {
      @Override
      public boolean isRepeatable() {
        return false;
      }

      @Override
      public void failed(Exception cause) {
        delegate.failed(cause);
      }

      @Override
      public long getContentLength() {
        return delegate.getContentLength();
      }

      @Override
      public String getContentType() {
        return delegate.getContentType();
      }

      @Override
      public @Nullable String getContentEncoding() {
        return delegate.getContentEncoding();
      }

      @Override
      public boolean isChunked() {
        return delegate.isChunked();
      }

      @Override
      public @Nullable Set<String> getTrailerNames() {
        return delegate.getTrailerNames();
      }

      @Override
      public int available() {
        set.set(true);
        return delegate.available();
      }

      @Override
      public void produce(DataStreamChannel channel) throws IOException {
        set.set(true);
        delegate.produce(channel);
      }

      @Override
      public void releaseResources() {
        delegate.releaseResources();
      }
    };
  }
}
