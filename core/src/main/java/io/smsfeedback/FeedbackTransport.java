package io.smsfeedback;

import io.smsfeedback.internal.transport.HttpClientTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one {@link Feedback} to 8x8 and classifies the answer. The {@link FeedbackReporter} owns
 * retries, deadlines and accounting; a transport makes exactly one HTTP attempt per {@link #send}.
 *
 * <p><b>Threading.</b> {@link #send} is called from the reporter's dispatcher thread and may be
 * called again before earlier futures complete (up to {@code max-concurrent-requests} at once). It
 * must return quickly and never block on I/O. The returned future may be completed on any thread.
 *
 * <p><b>Failure rules.</b> The returned future
 *
 * <ul>
 *   <li>always completes, at the latest shortly after {@code timeout} (a small scheduling slack is
 *       allowed): a transport enforces the timeout itself;
 *   <li>never completes exceptionally for network or server problems: those are {@link
 *       TransportResult#ioError(String) retryable results}; use {@link TransportResult#ofStatus}
 *       to classify an HTTP answer the same way the default transport does;
 *   <li>may be cancelled by the reporter (when it shuts down); a transport should then abort the
 *       request and release its connection.
 * </ul>
 *
 * <p><b>Lifecycle.</b> The reporter closes its transport when it closes. {@link #close()} is
 * idempotent, releases threads and connections, and makes later and pending sends complete as
 * retryable results. Implementations never expose the API key in {@code toString()}, logs or
 * results.
 */
public interface FeedbackTransport extends AutoCloseable {

  /**
   * Makes one attempt to deliver {@code feedback}.
   *
   * @param timeout the most this attempt may take, already capped by the time left before the
   *     feedback's deadline; connecting and waiting for the answer both fit into it
   * @return a future that always completes with a result within about {@code timeout}
   */
  CompletableFuture<TransportResult> send(Feedback feedback, Duration timeout);

  /** Releases threads and connections. Idempotent; never throws. */
  @Override
  void close();

  /**
   * The default transport: Apache HttpClient 5 async, pooled keep-alive connections sized to
   * {@code max-concurrent-requests}, no automatic retries, redirects or cookies. The caller owns it
   * and must {@link #close()} it (a reporter does that for the transport it is given).
   */
  static FeedbackTransport http(FeedbackSettings settings) {
    return HttpClientTransport.create(settings, Clock.systemUTC());
  }
}
