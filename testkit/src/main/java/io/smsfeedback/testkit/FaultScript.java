package io.smsfeedback.testkit;

import java.util.Collection;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The scripted faults: per umid, then the next-N queue, then the random share, then the standing
 * one. Lock-free but for the random share's draw.
 */
final class FaultScript {

  private final Queue<Fault> nextFeedback = new ConcurrentLinkedQueue<>();
  private final Queue<Fault> nextSend = new ConcurrentLinkedQueue<>();
  private final Map<UUID, Queue<Fault>> perUmid = new ConcurrentHashMap<>();
  private volatile Fault always;
  private volatile Sometimes sometimes;

  /** A fault for a seeded random share of the requests. */
  private static final class Sometimes {
    final Fault fault;
    final double fraction;
    final SplittableRandom random;

    Sometimes(Fault fault, double fraction, long seed) {
      this.fault = fault;
      this.fraction = fraction;
      this.random = new SplittableRandom(seed);
    }

    synchronized boolean draw() {
      return random.nextDouble() < fraction;
    }
  }

  void enqueueFeedback(Collection<Fault> faults) {
    nextFeedback.addAll(faults);
  }

  void enqueueSend(Collection<Fault> faults) {
    nextSend.addAll(faults);
  }

  void forUmid(UUID umid, Collection<Fault> faults) {
    perUmid.computeIfAbsent(umid, k -> new ConcurrentLinkedQueue<>()).addAll(faults);
  }

  void always(Fault fault) {
    always = fault;
  }

  void sometimes(Fault fault, double fraction, long seed) {
    sometimes = new Sometimes(fault, fraction, seed);
  }

  /** The fault for the next feedback request about {@code umid} (null when not a UUID). */
  Fault nextForFeedback(UUID umid) {
    if (umid != null && !perUmid.isEmpty()) {
      Queue<Fault> queue = perUmid.get(umid);
      Fault fault = queue == null ? null : queue.poll();
      if (fault != null) {
        return fault;
      }
    }
    Fault fault = nextFeedback.poll();
    if (fault != null) {
      return fault;
    }
    Sometimes s = sometimes;
    return s != null && s.draw() ? s.fault : always;
  }

  Fault nextForSend() {
    return nextSend.poll();
  }

  int pending() {
    int n = nextFeedback.size() + nextSend.size();
    for (Queue<Fault> q : perUmid.values()) {
      n += q.size();
    }
    return n;
  }

  void clear() {
    always = null;
    sometimes = null;
    nextFeedback.clear();
    nextSend.clear();
    perUmid.clear();
  }
}
