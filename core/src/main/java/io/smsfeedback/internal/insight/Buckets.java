package io.smsfeedback.internal.insight;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One window of one row: a ring of {@code size} buckets of {@code widthMillis}, each with {@link
 * #FIELDS} counters.
 *
 * <p>Lock discipline: {@code counts} are incremented without a lock. A slot is cleared for a newer
 * bucket under this object's lock, its epoch written after its counters are zeroed, so a recorder
 * that sees the new epoch counts into the cleared slot; a recorder that read the old epoch takes
 * the lock and finds the slot cleared already.
 */
final class Buckets {

  static final int SENT = 0;
  static final int SUCCESS = 1;
  static final int SUPERSEDED = 2;
  static final int MAX_ATTEMPTS = 3;
  static final int ABANDONED = 4;
  static final int TIMES = 5;
  static final int FIELDS = TIMES + VerifyTimes.BINS;

  private final long widthMillis;
  private final int size;
  /** The bucket number (time / width) each slot holds; Long.MIN_VALUE for never used. */
  private final AtomicLongArray epochs;

  private final AtomicLongArray counts;

  Buckets(long widthMillis, int size) {
    this.widthMillis = widthMillis;
    this.size = size;
    this.epochs = new AtomicLongArray(size);
    for (int i = 0; i < size; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
    this.counts = new AtomicLongArray(size * FIELDS);
  }

  /** Adds one to {@code field} in the bucket of {@code nowMillis}. */
  void add(long nowMillis, int field) {
    long bucket = Math.floorDiv(nowMillis, widthMillis);
    int slot = (int) Math.floorMod(bucket, (long) size);
    if (epochs.get(slot) < bucket) {
      clear(slot, bucket);
    }
    counts.incrementAndGet(slot * FIELDS + field);
  }

  private synchronized void clear(int slot, long bucket) {
    if (epochs.get(slot) < bucket) {
      for (int f = 0; f < FIELDS; f++) {
        counts.set(slot * FIELDS + f, 0);
      }
      epochs.set(slot, bucket);
    }
  }

  /** Adds into {@code into} the counters of the buckets inside the window ending at {@code now}. */
  void sumInto(long nowMillis, long[] into) {
    long newest = Math.floorDiv(nowMillis, widthMillis);
    for (int slot = 0; slot < size; slot++) {
      long epoch = epochs.get(slot);
      if (epoch <= newest && epoch > newest - size) {
        for (int f = 0; f < FIELDS; f++) {
          into[f] += counts.get(slot * FIELDS + f);
        }
      }
    }
  }

  /**
   * The counters of each bucket inside the window ending at {@code nowMillis}, oldest first: {@code
   * size} arrays of {@link #FIELDS}, all zero for a bucket nothing was counted in.
   */
  long[][] perBucket(long nowMillis) {
    long newest = Math.floorDiv(nowMillis, widthMillis);
    long oldest = newest - size + 1;
    long[][] out = new long[size][FIELDS];
    for (int slot = 0; slot < size; slot++) {
      long epoch = epochs.get(slot);
      if (epoch <= newest && epoch >= oldest) {
        long[] bucket = out[(int) (epoch - oldest)];
        for (int f = 0; f < FIELDS; f++) {
          bucket[f] = counts.get(slot * FIELDS + f);
        }
      }
    }
    return out;
  }

  long widthMillis() {
    return widthMillis;
  }

  int size() {
    return size;
  }
}
