package io.smsfeedback.internal.insight;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The side map of noted destinations, umid to calling code, until the umid's outcome is decided.
 * Bounded: at {@code max} entries, entries older than {@code maxAgeMillis} are purged (at most once
 * per minute); if it is still full, the new one is not kept and is counted. Thread-safe.
 */
final class Destinations {

  private record Noted(String callingCode, long atMillis) {}

  private static final long PURGE_EVERY_MILLIS = 60_000;

  private final Map<UUID, Noted> byUmid = new ConcurrentHashMap<>();
  private final int max;
  private final long maxAgeMillis;
  private final AtomicLong lastPurge = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder notKept = new LongAdder();

  Destinations(int max, long maxAgeMillis) {
    this.max = max;
    this.maxAgeMillis = maxAgeMillis;
  }

  void note(UUID umid, String callingCode, long nowMillis) {
    if (byUmid.size() >= max) {
      purge(nowMillis);
      if (byUmid.size() >= max) {
        notKept.increment();
        return;
      }
    }
    byUmid.put(umid, new Noted(callingCode, nowMillis));
  }

  /** The calling code noted for {@code umid}, or null. */
  @Nullable String get(UUID umid) {
    Noted noted = byUmid.get(umid);
    return noted == null ? null : noted.callingCode();
  }

  /** Forgets and returns the calling code noted for {@code umid}, or null. */
  @Nullable String remove(UUID umid) {
    Noted noted = byUmid.remove(umid);
    return noted == null ? null : noted.callingCode();
  }

  long notKept() {
    return notKept.sum();
  }

  int size() {
    return byUmid.size();
  }

  private void purge(long nowMillis) {
    long last = lastPurge.get();
    if (last != Long.MIN_VALUE && nowMillis - last < PURGE_EVERY_MILLIS) {
      return;
    }
    if (!lastPurge.compareAndSet(last, nowMillis)) {
      return; // another thread purges
    }
    long oldest = nowMillis - maxAgeMillis;
    byUmid.values().removeIf(n -> n.atMillis() < oldest);
  }
}
