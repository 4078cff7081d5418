package io.smsfeedback.internal.transport;

import io.smsfeedback.TransportResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * One delivery attempt, driven directly on HttpClient 5's connection pool and I/O reactor: lease a
 * pooled connection (connecting it if needed), send the prepared request, read the answer, hand the
 * connection back for reuse or close it. {@link #result} completes exactly once: with the answer,
 * with a failure, with the hard timeout, or by the caller's cancel; whatever completes it first
 * wins, and every later event only releases what the attempt still holds.
 *
 * <p>The connection is owned by whoever takes it from {@link #endpoint}: the I/O thread at the end
 * of the exchange (reused when the exchange ended cleanly, else closed), or the thread that
 * completed {@link #result} early. That thread closes an HTTP/1.1 connection at once, which aborts
 * the exchange on the wire. An HTTP/2 connection carries up to {@value
 * HttpClientTransport#STREAMS_PER_LANE} other attempts' streams: closing it would fail them all
 * (each retried, some already taken by 8x8 and so reported twice), and HttpClient 5.6 offers no
 * way to reset one stream of a pooled connection. So the timed-out stream is <em>abandoned</em>:
 * the connection goes back to the pool, the stream stays open until the server answers or resets
 * it or the connection ends, and it counts on its lane until then. A lane abandons at most {@value
 * HttpClientTransport#MAX_ABANDONED_STREAMS} streams at once; beyond that the connection is closed
 * as over HTTP/1.1, which ends them all.
 *
 * <p>As a {@link FutureCallback} it receives the leased and then the connected endpoint; as an
 * {@link AsyncClientExchangeHandler} it runs on the I/O thread; as a {@link BiConsumer} it is
 * told that {@link #result} completed.
 */
final class Exchange
    implements AsyncClientExchangeHandler,
        FutureCallback<AsyncConnectionEndpoint>,
        BiConsumer<TransportResult, @Nullable Throwable> {

  private static final ContentType JSON = ContentType.create("application/json");

  final CompletableFuture<TransportResult> result = new CompletableFuture<>();

  private final HttpClientTransport transport;
  private final String id;
  private final HttpRequest request;
  private final ByteBuffer body;
  /** Set before {@link #start}, which publishes it to the pool's and the timer's threads. */
  private long timeoutMillis;
  /** The transport's lane (connection pool) this attempt uses, counted there until it ends. */
  private final int lane;
  private final HttpClientContext context = HttpClientContext.create();
  private final AtomicReference<@Nullable AsyncConnectionEndpoint> endpoint =
      new AtomicReference<>();
  private volatile boolean connecting;
  /** This exchange finds out the protocol of its lane's new connection; the gate waits for it. */
  private volatile boolean probe;
  /** The HTTP/2 stream: {@link #NO_STREAM}, {@link #OPEN}, {@link #ABANDONED} or {@link #ENDED}. */
  private volatile int stream = NO_STREAM;
  private static final int NO_STREAM = 0;
  private static final int OPEN = 1;
  private static final int ABANDONED = 2;
  private static final int ENDED = 3;
  private static final AtomicIntegerFieldUpdater<Exchange> STREAM =
      AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "stream");
  /** What keeps the attempt on its lane: itself until {@link #result}, an open stream until it ends. */
  private volatile int laneHolds = 1;
  private static final AtomicIntegerFieldUpdater<Exchange> LANE_HOLDS =
      AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "laneHolds");
  private volatile @Nullable ScheduledFuture<?> deadline;

  // The rest is touched by the I/O thread only (head is also read by the thread that times out).
  private volatile @Nullable HttpResponse head;
  private @Nullable ByteArrayOutputStream errorBody;
  private boolean requestSent;

  Exchange(
      HttpClientTransport transport,
      String id,
      HttpRequest request,
      byte[] body,
      long timeoutMillis,
      int lane) {
    this.transport = transport;
    this.lane = lane;
    this.id = id;
    this.request = request;
    this.body = ByteBuffer.wrap(body);
    this.timeoutMillis = timeoutMillis;
    result.whenComplete(this);
  }

  /**
   * Starts the attempt {@code waitedMillis} after it was made (held by the {@link NegotiationGate}):
   * within what is left of its timeout, at least 1 ms.
   */
  void startAfter(long waitedMillis) {
    timeoutMillis = Math.max(1, timeoutMillis - waitedMillis);
    start();
  }

  /** This exchange is its lane's probe: the gate opens when it ends, whatever its result. */
  void asProbe(NegotiationGate gate) {
    probe = true;
    result.whenComplete((r, e) -> gate.answered());
  }

  /**
   * Asks the pool again, {@code waitedMillis} after the gate held this started attempt back (-1:
   * the transport closed meanwhile). Its hard timeout is still armed from {@link #start}.
   */
  private void leaseAgain(long waitedMillis) {
    if (waitedMillis < 0) {
      result.complete(TransportResult.ioError("TransportClosed"));
    } else if (!result.isDone()) {
      timeoutMillis = Math.max(1, timeoutMillis - waitedMillis);
      lease();
    }
  }

  /** Starts the attempt: arms the hard timeout, then asks the pool for a connection. */
  void start() {
    if (result.isDone()) {
      return; // cancelled by the caller while the negotiation gate held it
    }
    // The hard bound: whatever the server does, the result is there after the timeout. The timer
    // runs on the transport's own thread and is cancelled (and dropped from its queue) as soon as
    // the result is there, so a finished attempt is not kept reachable until its timeout.
    try {
      deadline = transport.schedule(() -> finishEarly("timeout"), timeoutMillis);
    } catch (RejectedExecutionException e) {
      result.complete(TransportResult.ioError("TransportClosed")); // closed concurrently
      return;
    }
    lease();
  }

  private void lease() {
    // A lease or connect still under way when the attempt ends is not cancelled: both are bounded
    // by the same timeout, and what they bring afterwards is given back (see completed).
    try {
      transport.lease(lane, id, Timeout.ofMilliseconds(timeoutMillis), this);
    } catch (RuntimeException e) {
      fail(HttpClientTransport.describe(e)); // e.g. the pool was shut down concurrently
    }
  }

  // ---- connection: leased, then connected -----------------------------------------------------

  @Override
  public void completed(AsyncConnectionEndpoint leased) {
    endpoint.set(leased);
    if (result.isDone()) {
      giveBack(); // the attempt ended while we waited for this connection
      return;
    }
    try {
      if (!leased.isConnected()) {
        if (connecting) {
          fail("ConnectionClosedException"); // connected, and closed again before we could use it
          return;
        }
        if (!probe && transport.mustWaitForNegotiation(lane, this, this::leaseAgain)) {
          giveBack(); // another exchange opens the lane's new HTTP/2 connection: share it
          return;
        }
        connecting = true;
        transport.connect(lane, leased, timeoutMillis, context, this);
        return;
      }
      boolean h2 = isHttp2(leased);
      transport.negotiated(lane, h2);
      if (h2) {
        // The socket timeout is the connection's, shared by all its streams: the setting, not what
        // is left of this attempt's time (which the hard timer bounds), else one attempt near its
        // deadline would close the connection under the others at the first quiet moment.
        leased.setSocketTimeout(transport.responseTimeout(Long.MAX_VALUE));
        LANE_HOLDS.incrementAndGet(this);
        if (!STREAM.compareAndSet(this, NO_STREAM, OPEN)) {
          dropLaneHold(); // the exchange ended meanwhile
          return;
        }
      } else {
        leased.setSocketTimeout(transport.responseTimeout(timeoutMillis));
      }
      leased.execute(id, this, context);
    } catch (RuntimeException e) {
      endStream();
      fail(HttpClientTransport.describe(e)); // e.g. the pool or the client was shut down
    }
  }

  private boolean isHttp2(AsyncConnectionEndpoint endpoint) {
    if (!transport.mayUseHttp2()) {
      return false;
    }
    EndpointInfo info = endpoint.getInfo();
    ProtocolVersion protocol = info == null ? null : info.getProtocol();
    return protocol != null && protocol.greaterEquals(HttpVersion.HTTP_2);
  }

  /** The lease, the connect, or the exchange failed. */
  @Override
  public void failed(Exception cause) {
    endStream();
    fail(HttpClientTransport.describe(cause));
  }

  @Override
  public void cancelled() {
    endStream();
    fail("Cancelled");
  }

  // ---- the exchange, on the I/O thread --------------------------------------------------------

  @Override
  public void produceRequest(RequestChannel channel, HttpContext context)
      throws HttpException, IOException {
    channel.sendRequest(request, new BasicEntityDetails(body.remaining(), JSON), context);
  }

  @Override
  public int available() {
    return body.remaining();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    if (body.hasRemaining()) {
      channel.write(body);
    }
    if (!body.hasRemaining() && !requestSent) {
      requestSent = true;
      channel.endStream();
    }
  }

  @Override
  public void consumeInformation(HttpResponse response, HttpContext context) {}

  @Override
  public void consumeResponse(
      HttpResponse response, @Nullable EntityDetails entityDetails, HttpContext context) {
    head = response;
    int status = response.getCode();
    if (status < 200 || status > 299) {
      errorBody = new ByteArrayOutputStream(); // only an error's body is read, a 2xx one discarded
    }
    if (entityDetails == null) {
      finish();
    }
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    capacityChannel.update(Integer.MAX_VALUE);
  }

  @Override
  public void consume(ByteBuffer src) {
    ByteArrayOutputStream kept = errorBody;
    if (kept != null) {
      int keep = Math.min(src.remaining(), HttpClientTransport.MAX_BODY_BYTES - kept.size());
      if (keep > 0) {
        if (src.hasArray()) {
          kept.write(src.array(), src.arrayOffset() + src.position(), keep);
        } else {
          byte[] chunk = new byte[keep];
          src.duplicate().get(chunk);
          kept.write(chunk, 0, keep);
        }
      }
    }
    src.position(src.limit());
  }

  @Override
  public void streamEnd(@Nullable List<? extends Header> trailers) {
    finish();
  }

  @Override
  public void cancel() {
    endStream();
    fail("Cancelled"); // the connection went away before the request could be sent
  }

  /** The stream ended, by whichever path (the I/O thread tells us once the answer is in, too). */
  @Override
  public void releaseResources() {
    endStream();
  }

  /** The whole answer is in: give the connection back (reusable if the exchange was clean). */
  private void finish() {
    endStream();
    HttpResponse response = Objects.requireNonNull(head);
    ByteArrayOutputStream kept = errorBody;
    TransportResult r =
        transport.classify(
            response, kept == null ? "" : new String(kept.toByteArray(), StandardCharsets.UTF_8));
    TimeValue keepAlive = requestSent ? transport.keepAlive(request, response, context) : null;
    if (keepAlive != null) {
      AsyncConnectionEndpoint e = endpoint.getAndSet(null);
      if (e != null) {
        transport.release(lane, e, keepAlive);
      }
    } else {
      discard();
    }
    result.complete(r);
  }

  // ---- ending early ---------------------------------------------------------------------------

  private void fail(String error) {
    discard();
    result.complete(afterFailure(error));
  }

  private void finishEarly(String error) {
    result.complete(afterFailure(error)); // then accept() aborts whatever is still under way
  }

  /**
   * A failure after 8x8's status line arrived still counts as that answer: a 2xx whose body broke
   * off was accepted by 8x8, and sending it again would report the umid twice.
   */
  private TransportResult afterFailure(String error) {
    HttpResponse response = head;
    return response == null ? TransportResult.ioError(error) : transport.classify(response, "");
  }

  /**
   * {@link #result} completed, by whichever path: stop the timer, abort what is under way (an open
   * HTTP/2 stream is abandoned rather than its connection closed, see the class comment), leave
   * the lane unless a stream still holds it.
   */
  @Override
  public void accept(TransportResult r, @Nullable Throwable cancelled) {
    ScheduledFuture<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
    if (stream == OPEN && transport.tryAbandon(lane)) {
      if (STREAM.compareAndSet(this, OPEN, ABANDONED)) {
        giveBack();
      } else {
        transport.abandonedEnded(lane); // it ended meanwhile
        discard();
      }
    } else {
      discard();
    }
    dropLaneHold();
  }

  /** The stream (if any) ended: it no longer holds the lane, nor counts as abandoned. */
  private void endStream() {
    int was = STREAM.getAndSet(this, ENDED);
    if (was == ABANDONED) {
      transport.abandonedEnded(lane);
    }
    if (was == OPEN || was == ABANDONED) {
      dropLaneHold();
    }
  }

  private void dropLaneHold() {
    if (LANE_HOLDS.decrementAndGet(this) == 0) {
      transport.leaveLane(lane);
    }
  }

  /** Closes the connection this attempt holds, if any, and returns its pool slot. */
  private void discard() {
    AsyncConnectionEndpoint e = endpoint.getAndSet(null);
    if (e != null) {
      e.close(CloseMode.IMMEDIATE);
      transport.release(lane, e, TimeValue.ZERO_MILLISECONDS);
    }
  }

  /** Returns a connection that arrived after the attempt ended: unused, so reusable if connected. */
  private void giveBack() {
    AsyncConnectionEndpoint e = endpoint.getAndSet(null);
    if (e != null) {
      transport.release(lane, e, e.isConnected() ? transport.idleKeepAlive() : TimeValue.ZERO_MILLISECONDS);
    }
  }
}
