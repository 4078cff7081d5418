package io.smsfeedback.internal.reporter;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The umids the reporter queued, each remembered until its deadline (epoch nanoseconds), to refuse
 * duplicates. Open addressing with linear probing over two parallel arrays, umid references (shared
 * with the feedback) and primitive deadlines: 12 bytes a slot, no entry object per umid.
 *
 * <p>Nothing is removed one by one: an entry whose deadline has passed counts as absent and its slot
 * is reused by a later insert that probes past it; a rebuild, when the table is three quarters
 * full, keeps only the live entries (and shrinks the table if they are few); and once the latest
 * deadline has passed, the next insert starts over with an empty table. Memory stays bounded by
 * about twice the live entries at their peak. Not thread-safe.
 */
final class RememberedUmids {

  static final int MIN_CAPACITY = 16;

  private @Nullable UUID[] keys = new UUID[MIN_CAPACITY];
  private long[] until = new long[MIN_CAPACITY];
  /** Slots holding an entry, live or passed. */
  private int filled;
  /** The latest deadline of any entry: from then on, every entry has passed. */
  private long latest = Long.MIN_VALUE;

  /** Whether {@code umid} is remembered at {@code now}, i.e. its deadline is after {@code now}. */
  boolean contains(UUID umid, long now) {
    @Nullable UUID[] k = keys;
    for (int i = slot(umid, k.length); ; i = next(i, k.length)) {
      UUID key = k[i];
      if (key == null) {
        return false;
      }
      if (key.equals(umid)) {
        return until[i] > now;
      }
    }
  }

  /** Remembers {@code umid} until {@code deadline}; it must not be remembered at {@code now}. */
  void add(UUID umid, long deadline, long now) {
    if (filled > 0 && now >= latest) {
      reset(MIN_CAPACITY); // all passed: also gives back the memory of a past burst
      latest = Long.MIN_VALUE;
    }
    if (deadline > latest) {
      latest = deadline;
    }
    if (!put(umid, deadline, now)) {
      rebuild(now);
      put(umid, deadline, now); // at most half full now
    }
  }

  /** Slots in use, passed entries included; for tests. */
  int filled() {
    return filled;
  }

  /** The table's size; for tests. */
  int capacity() {
    return keys.length;
  }

  /** Puts into this table; false if that would fill it past three quarters (nothing changed). */
  private boolean put(UUID umid, long deadline, long now) {
    @Nullable UUID[] k = keys;
    int reuse = -1;
    int i = slot(umid, k.length);
    for (UUID key; (key = k[i]) != null; i = next(i, k.length)) {
      if (key.equals(umid)) {
        until[i] = deadline; // its earlier entry had passed
        return true;
      }
      if (reuse < 0 && until[i] <= now) {
        reuse = i; // passed: free for reuse, unless umid itself comes later in this run
      }
    }
    if (reuse >= 0) {
      k[reuse] = umid;
      until[reuse] = deadline;
      return true;
    }
    if ((filled + 1) * 4L > k.length * 3L) {
      return false;
    }
    k[i] = umid;
    until[i] = deadline;
    filled++;
    return true;
  }

  /** Keeps only the live entries, in a table twice their number (plus the one to come). */
  private void rebuild(long now) {
    @Nullable UUID[] oldKeys = keys;
    long[] oldUntil = until;
    int live = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && oldUntil[i] > now) {
        live++;
      }
    }
    reset((int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_CAPACITY, (live + 1) * 2L)));
    for (int i = 0; i < oldKeys.length; i++) {
      UUID key = oldKeys[i];
      if (key != null && oldUntil[i] > now) {
        int j = slot(key, keys.length);
        while (keys[j] != null) {
          j = next(j, keys.length);
        }
        keys[j] = key;
        until[j] = oldUntil[i];
        filled++;
      }
    }
  }

  private void reset(int capacity) {
    keys = new UUID[capacity];
    until = new long[capacity];
    filled = 0;
  }

  /** Maps the umid's hash onto {@code [0, n)} by multiplication (any n, not only powers of two). */
  private static int slot(UUID umid, int n) {
    int h = umid.hashCode() * 0x9E3779B9;
    h ^= h >>> 16;
    return (int) (((h & 0xFFFF_FFFFL) * n) >>> 32);
  }

  private static int next(int i, int n) {
    return i + 1 == n ? 0 : i + 1;
  }
}
