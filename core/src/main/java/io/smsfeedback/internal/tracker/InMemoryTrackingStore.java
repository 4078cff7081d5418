package io.smsfeedback.internal.tracker;

import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link TrackingStore}: records in a {@link ConcurrentHashMap}, plus two skip-list
 * indexes (pending records by {@code abandonAt}, final records by {@code sentAt}) so that the
 * abandonment scan, the purge and the eviction touch only the entries they act on.
 *
 * <p>The map is the truth. Every change to a record and to its index entry happens inside the map's
 * atomic per-key {@code compute}, so the indexes never disagree with the map for longer than one
 * such call; readers of an index re-check the record in the map.
 */
public final class InMemoryTrackingStore implements TrackingStore {

  private final ConcurrentHashMap<UUID, TrackedOtp> records = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<IndexKey> pendingByAbandonAt = new ConcurrentSkipListSet<>();
  private final ConcurrentSkipListSet<IndexKey> finishedBySentAt = new ConcurrentSkipListSet<>();
  private final AtomicLong pending = new AtomicLong();

  @Override
  public boolean insertIfAbsent(TrackedOtp record) {
    Objects.requireNonNull(record, "record");
    boolean[] inserted = new boolean[1];
    records.computeIfAbsent(
        record.umid(),
        umid -> {
          index(record);
          inserted[0] = true;
          return record;
        });
    return inserted[0];
  }

  @Override
  public Optional<TrackedOtp> find(UUID umid) {
    return Optional.ofNullable(records.get(umid));
  }

  @Override
  public boolean compareAndSet(TrackedOtp expected, TrackedOtp updated) {
    if (!expected.umid().equals(updated.umid())) {
      throw new IllegalArgumentException(
          "updated has another umid: " + updated.umid() + " instead of " + expected.umid());
    }
    if (updated.version() != expected.version() + 1) {
      throw new IllegalArgumentException(
          "updated.version must be expected.version + 1: "
              + updated.version()
              + " after "
              + expected.version());
    }
    boolean[] written = new boolean[1];
    records.computeIfPresent(
        expected.umid(),
        (umid, current) -> {
          if (current.version() != expected.version()) {
            return current;
          }
          TrackedOtp next =
              new TrackedOtp(
                  current.otp(),
                  updated.state(),
                  updated.wrongCodes(),
                  current.abandonAt(),
                  updated.decidedAt(),
                  updated.version());
          if (current.isPending() != next.isPending()) {
            unindex(current);
            index(next);
          }
          written[0] = true;
          return next;
        });
    return written[0];
  }

  @Override
  public List<TrackedOtp> findDueForAbandonment(Instant now, int limit) {
    requirePositive(limit);
    List<TrackedOtp> due = new ArrayList<>(Math.min(limit, 64));
    for (IndexKey key : pendingByAbandonAt) {
      if (due.size() >= limit || key.at().isAfter(now)) {
        break;
      }
      TrackedOtp record = records.get(key.umid());
      if (record != null && record.isPending() && !record.abandonAt().isAfter(now)) {
        due.add(record);
      }
    }
    return due;
  }

  @Override
  public int purgeFinishedBefore(Instant sentBefore, int limit) {
    requirePositive(limit);
    int removed = 0;
    for (IndexKey key : finishedBySentAt) {
      if (removed >= limit || !key.at().isBefore(sentBefore)) {
        break;
      }
      if (removeFinished(key)) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public int evictOldestFinished(int limit) {
    requirePositive(limit);
    int removed = 0;
    for (IndexKey key : finishedBySentAt) {
      if (removed >= limit) {
        break;
      }
      if (removeFinished(key)) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public long countTracked() {
    return records.mappingCount();
  }

  @Override
  public long countPending() {
    return pending.get();
  }

  @Override
  public String toString() {
    return "InMemoryTrackingStore{tracked=" + countTracked() + ", pending=" + countPending() + '}';
  }

  private boolean removeFinished(IndexKey key) {
    boolean[] removed = new boolean[1];
    records.computeIfPresent(
        key.umid(),
        (umid, current) -> {
          if (current.isPending() || !current.sentAt().equals(key.at())) {
            return current;
          }
          unindex(current);
          removed[0] = true;
          return null;
        });
    return removed[0];
  }

  /** Called inside the map's compute for the record's umid. */
  private void index(TrackedOtp record) {
    if (record.isPending()) {
      pendingByAbandonAt.add(new IndexKey(record.abandonAt(), record.umid()));
      pending.incrementAndGet();
    } else {
      finishedBySentAt.add(new IndexKey(record.sentAt(), record.umid()));
    }
  }

  /** Called inside the map's compute for the record's umid. */
  private void unindex(TrackedOtp record) {
    if (record.isPending()) {
      pendingByAbandonAt.remove(new IndexKey(record.abandonAt(), record.umid()));
      pending.decrementAndGet();
    } else {
      finishedBySentAt.remove(new IndexKey(record.sentAt(), record.umid()));
    }
  }

  private static void requirePositive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
  }

  private record IndexKey(Instant at, UUID umid) implements Comparable<IndexKey> {
    @Override
    public int compareTo(IndexKey o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : umid.compareTo(o.umid);
    }
  }
}
