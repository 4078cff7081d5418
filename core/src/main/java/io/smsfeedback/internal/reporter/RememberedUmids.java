package io.smsfeedback.internal.reporter;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The umids the reporter queued, each remembered until its deadline, to refuse duplicates. Open
 * addressing with linear probing over two parallel arrays: umid references (shared with the
 * feedback) and one {@code long} a slot holding the deadline in epoch milliseconds, rounded up, in
 * its low {@value #MILLIS_BITS} bits (until the year 2109; later ones are kept until then) and a
 * fingerprint of the umid in the rest: 12 bytes a slot, no entry object per umid, and a probe
 * dereferences a stored umid only when its fingerprint matches (about one in four million
 * otherwise). Rounding the deadline up means a umid may be remembered up to a millisecond longer.
 *
 * <p>Nothing is removed one by one: an entry whose deadline has passed counts as absent and its slot
 * is reused by a later insert that probes past it; a rebuild, when the table is three quarters
 * full, keeps only the live entries (and shrinks the table if they are few); and once the latest
 * deadline has passed, the next insert starts over with an empty table. Memory stays bounded by
 * about twice the live entries at their peak. Not thread-safe.
 */
final class RememberedUmids {

  static final int MIN_CAPACITY = 16;
  static final int MILLIS_BITS = 42;
  private static final long MILLIS_MASK = (1L << MILLIS_BITS) - 1;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private @Nullable UUID[] keys = new UUID[MIN_CAPACITY];
  private long[] words = new long[MIN_CAPACITY];
  /** Slots holding an entry, live or passed. */
  private int filled;
  /** The latest deadline of any entry (epoch nanoseconds): from then on, every entry has passed. */
  private long latest = Long.MIN_VALUE;

  /** Whether {@code umid} is remembered at {@code now} (epoch nanoseconds). */
  boolean contains(UUID umid, long now) {
    return find(umid, now) < 0;
  }

  /**
   * Looks {@code umid} up at {@code now}: -1 if it is remembered, else the slot where {@link #add}
   * will put it, valid until the table changes.
   */
  int find(UUID umid, long now) {
    long hash = hash(umid);
    long fingerprint = fingerprint(hash);
    long nowMillis = Math.floorDiv(now, NANOS_PER_MILLI);
    @Nullable UUID[] k = keys;
    long[] w = words;
    int reuse = -1;
    for (int i = slot(hash, k.length); ; i = next(i, k.length)) {
      UUID key = k[i];
      if (key == null) {
        return reuse >= 0 ? reuse : i;
      }
      long word = w[i];
      boolean passed = (word & MILLIS_MASK) <= nowMillis;
      if ((word & ~MILLIS_MASK) == fingerprint && key.equals(umid)) {
        return passed ? i : -1; // its earlier entry passed: that very slot
      }
      if (passed && reuse < 0) {
        reuse = i; // free for reuse, unless umid itself comes later in this run
      }
    }
  }

  /** Remembers {@code umid}, not remembered at {@code now}, until {@code deadline}. */
  void add(UUID umid, long deadline, long now) {
    add(find(umid, now), umid, deadline, now);
  }

  /** Remembers {@code umid} in {@code slot}, which {@link #find} just returned for it. */
  void add(int slot, UUID umid, long deadline, long now) {
    int i = slot;
    if (filled > 0 && now >= latest) {
      reset(MIN_CAPACITY); // all passed: also gives back the memory of a past burst
      latest = Long.MIN_VALUE;
      i = find(umid, now);
    } else if (keys[i] == null && (filled + 1) * 4L > keys.length * 3L) {
      rebuild(now);
      i = find(umid, now);
    }
    if (deadline > latest) {
      latest = deadline;
    }
    if (keys[i] == null) {
      filled++;
    }
    keys[i] = umid;
    words[i] = fingerprint(hash(umid)) | millisUp(deadline);
  }

  /** Slots in use, passed entries included; for tests. */
  int filled() {
    return filled;
  }

  /** The table's size; for tests. */
  int capacity() {
    return keys.length;
  }

  /** Keeps only the live entries, in a table twice their number (plus the one to come). */
  private void rebuild(long now) {
    @Nullable UUID[] oldKeys = keys;
    long[] oldWords = words;
    long nowMillis = Math.floorDiv(now, NANOS_PER_MILLI);
    int live = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && (oldWords[i] & MILLIS_MASK) > nowMillis) {
        live++;
      }
    }
    reset((int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_CAPACITY, (live + 1) * 2L)));
    for (int i = 0; i < oldKeys.length; i++) {
      UUID key = oldKeys[i];
      if (key != null && (oldWords[i] & MILLIS_MASK) > nowMillis) {
        int j = slot(hash(key), keys.length);
        while (keys[j] != null) {
          j = next(j, keys.length);
        }
        keys[j] = key;
        words[j] = oldWords[i];
        filled++;
      }
    }
  }

  private void reset(int capacity) {
    keys = new UUID[capacity];
    words = new long[capacity];
    filled = 0;
  }

  /** The deadline in epoch milliseconds, rounded up and clamped to the field. */
  private static long millisUp(long deadlineNanos) {
    if (deadlineNanos <= 0) {
      return 0;
    }
    long millis =
        deadlineNanos / NANOS_PER_MILLI + (deadlineNanos % NANOS_PER_MILLI == 0 ? 0 : 1);
    return Math.min(MILLIS_MASK, millis);
  }

  /** The hash's low bits, in the word's upper bits: independent of the slot, which uses the high. */
  private static long fingerprint(long hash) {
    return hash << MILLIS_BITS;
  }

  /** 64 well-mixed bits of the umid. */
  private static long hash(UUID umid) {
    long h = umid.getMostSignificantBits() * 0x9E3779B97F4A7C15L + umid.getLeastSignificantBits();
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return h ^ (h >>> 32);
  }

  /** Maps the hash onto {@code [0, n)} by multiplication (any n, not only powers of two). */
  private static int slot(long hash, int n) {
    return (int) (((hash >>> 32) * n) >>> 32);
  }

  private static int next(int i, int n) {
    return i + 1 == n ? 0 : i + 1;
  }
}
