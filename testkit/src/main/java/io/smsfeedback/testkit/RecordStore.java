package io.smsfeedback.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Everything the simulator recorded. Lock-free on the recording path; waiters are woken by a
 * latch each, and only looked at when some exist.
 */
final class RecordStore {

  private static final class UmidState {
    final AtomicInteger attempts = new AtomicInteger();
    final Queue<ReceivedFeedback> accepted = new ConcurrentLinkedQueue<>();
  }

  private static final class Waiter {
    final BooleanSupplier condition;
    final CountDownLatch latch = new CountDownLatch(1);

    Waiter(BooleanSupplier condition) {
      this.condition = condition;
    }
  }

  private final int maxRequests;
  private final AtomicLong sequence = new AtomicLong();
  private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Queue<ReceivedFeedback> accepted = new ConcurrentLinkedQueue<>();

  /** {@code accepted.size()}, which walks the queue: waiters check the count on every request. */
  private final AtomicInteger acceptedCount = new AtomicInteger();
  private final Map<UUID, UmidState> byUmid = new ConcurrentHashMap<>();
  private final Queue<SentMessage> sent = new ConcurrentLinkedQueue<>();
  private final Map<String, SentMessage> lastByDestination = new ConcurrentHashMap<>();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  RecordStore(int maxRequests) {
    this.maxRequests = maxRequests;
  }

  long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** Records one request, and the feedback or message it produced, then wakes waiters. */
  void record(RecordedRequest request, ReceivedFeedback feedback, SentMessage message) {
    requests.add(request);
    if (requestCount.incrementAndGet() > maxRequests && requests.poll() != null) {
      requestCount.decrementAndGet();
    }
    if (request.endpoint() == RecordedRequest.Endpoint.FEEDBACK && request.umid() != null) {
      UmidState state = byUmid.computeIfAbsent(request.umid(), k -> new UmidState());
      if (feedback != null) {
        state.accepted.add(feedback);
      }
      state.attempts.incrementAndGet();
    }
    if (feedback != null) {
      accepted.add(feedback);
      acceptedCount.incrementAndGet();
      (feedback.isSuccess() ? successes : failures).increment();
    }
    if (message != null) {
      sent.add(message);
      lastByDestination.put(normalize(message.destination()), message);
    }
    signal();
  }

  private void signal() {
    if (waiters.isEmpty()) {
      return;
    }
    for (Waiter w : waiters) {
      if (w.latch.getCount() > 0 && w.condition.getAsBoolean()) {
        w.latch.countDown();
      }
    }
  }

  /**
   * Blocks until {@code condition} holds (checked now and after each recorded request), or the
   * timeout passes.
   *
   * @return whether the condition held
   */
  boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    if (condition.getAsBoolean()) {
      return true;
    }
    Waiter waiter = new Waiter(condition);
    waiters.add(waiter);
    try {
      if (condition.getAsBoolean()) {
        return true;
      }
      return waiter.latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
          || condition.getAsBoolean();
    } finally {
      waiters.remove(waiter);
    }
  }

  static String normalize(String destination) {
    return destination.startsWith("+") ? destination.substring(1) : destination;
  }

  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  List<ReceivedFeedback> accepted() {
    return List.copyOf(accepted);
  }

  List<ReceivedFeedback> accepted(UUID umid) {
    UmidState state = byUmid.get(umid);
    return state == null ? List.of() : List.copyOf(state.accepted);
  }

  int attempts(UUID umid) {
    UmidState state = byUmid.get(umid);
    return state == null ? 0 : state.attempts.get();
  }

  int acceptedCount() {
    return acceptedCount.get();
  }

  long recordedCount() {
    return sequence.get();
  }

  /** Umids accepted more than once, with their feedback. */
  Map<UUID, List<ReceivedFeedback>> duplicates() {
    Map<UUID, List<ReceivedFeedback>> result = new java.util.TreeMap<>();
    for (Map.Entry<UUID, UmidState> e : byUmid.entrySet()) {
      List<ReceivedFeedback> list = new ArrayList<>(e.getValue().accepted);
      if (list.size() > 1) {
        result.put(e.getKey(), list);
      }
    }
    return result;
  }

  ConversionSummary conversion() {
    return new ConversionSummary(successes.sum(), failures.sum());
  }

  List<SentMessage> sent() {
    return List.copyOf(sent);
  }

  SentMessage lastTo(String destination) {
    return lastByDestination.get(normalize(destination));
  }

  void clear() {
    requests.clear();
    requestCount.set(0);
    accepted.clear();
    acceptedCount.set(0);
    byUmid.clear();
    sent.clear();
    lastByDestination.clear();
    successes.reset();
    failures.reset();
    signal();
  }
}
