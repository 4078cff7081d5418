package io.smsfeedback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.SentOtp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executable contract of {@link TrackingStore}. A store implementation proves itself by
 * extending this class (from {@code sms-feedback-core}'s test-jar) and returning a fresh, empty store
 * from {@link #newStore()}.
 *
 * <p>The SPI has no clock (the tracker passes every instant), so neither does the kit: instants are
 * whole milliseconds from a fixed origin, which any SQL timestamp type keeps exactly.
 */
public abstract class TrackingStoreContract {

  /** A fixed origin; every instant in these tests is {@code T0} plus whole milliseconds. */
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final Duration ABANDON_AFTER = Duration.ofMinutes(10);
  private static final int THREADS = 8;

  protected TrackingStore store;
  private ExecutorService pool;

  /** A new, empty store. Called before each test. */
  protected abstract TrackingStore newStore();

  /** Releases a store made by {@link #newStore()}; nothing by default. */
  protected void disposeStore(TrackingStore store) {}

  @BeforeEach
  void setUpStore() {
    store = newStore();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDownStore() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    disposeStore(store);
  }

  // ---- insert and find

  @Test
  void insertIfAbsent_storesANewRecord_andFindReturnsItEqual() {
    TrackedOtp record = pending(at(0));

    assertThat(store.insertIfAbsent(record)).isTrue();

    assertThat(store.find(record.umid())).contains(record);
  }

  @Test
  void insertIfAbsent_keepsTheFirstRecord_whenTheUmidIsStored() {
    TrackedOtp first = pending(at(0));
    TrackedOtp second =
        TrackedOtp.pending(
            new SentOtp("other-sub", first.umid(), at(5_000)), at(5_000).plus(ABANDON_AFTER));
    store.insertIfAbsent(first);

    assertThat(store.insertIfAbsent(second)).isFalse();

    assertThat(store.find(first.umid())).contains(first);
    assertThat(store.countTracked()).isEqualTo(1);
  }

  @Test
  void insertIfAbsent_storesAFinalRecordAsGiven() {
    TrackedOtp record = pending(at(0)).finish(TrackingState.VERIFIED, at(1_000));

    assertThat(store.insertIfAbsent(record)).isTrue();

    assertThat(store.find(record.umid())).contains(record);
    assertThat(store.countPending()).isZero();
    assertThat(store.findDueForAbandonment(at(3_600_000), 10)).isEmpty();
  }

  @Test
  void find_returnsEmpty_forAUmidNeverStored() {
    assertThat(store.find(UUID.randomUUID())).isEmpty();
  }

  // ---- compare and set

  @Test
  void compareAndSet_writesStateWrongCodesDecidedAtAndVersion_whenTheVersionMatches() {
    TrackedOtp v0 = insert(pending(at(0)));
    TrackedOtp v1 = v0.withWrongCode();
    TrackedOtp v2 = v1.finish(TrackingState.MAX_ATTEMPTS, at(2_500));

    assertThat(store.compareAndSet(v0, v1)).isTrue();
    assertThat(store.find(v0.umid())).contains(v1);
    assertThat(store.compareAndSet(v1, v2)).isTrue();

    TrackedOtp stored = store.find(v0.umid()).orElseThrow();
    assertThat(stored).isEqualTo(v2);
    assertThat(stored.state()).isEqualTo(TrackingState.MAX_ATTEMPTS);
    assertThat(stored.wrongCodes()).isEqualTo(2);
    assertThat(stored.decidedAt()).isEqualTo(at(2_500));
    assertThat(stored.version()).isEqualTo(2);
  }

  @Test
  void compareAndSet_fails_whenTheRecordChangedSinceItWasRead() {
    TrackedOtp v0 = insert(pending(at(0)));
    assertThat(store.compareAndSet(v0, v0.withWrongCode())).isTrue();

    boolean written = store.compareAndSet(v0, v0.finish(TrackingState.VERIFIED, at(1_000)));

    assertThat(written).isFalse();
    assertThat(store.find(v0.umid()).orElseThrow().state()).isEqualTo(TrackingState.PENDING);
    assertThat(store.find(v0.umid()).orElseThrow().wrongCodes()).isEqualTo(1);
  }

  @Test
  void compareAndSet_fails_whenTheUmidIsNotStored() {
    TrackedOtp never = pending(at(0));

    assertThat(store.compareAndSet(never, never.withWrongCode())).isFalse();
    assertThat(store.find(never.umid())).isEmpty();
  }

  @Test
  void compareAndSet_keepsTheStoredOtpAndAbandonAt() {
    TrackedOtp v0 = insert(pending(at(0)));
    TrackedOtp forged =
        new TrackedOtp(
            new SentOtp("forged-sub", v0.umid(), at(9_000)),
            TrackingState.VERIFIED,
            0,
            at(99_000),
            at(1_000),
            1);

    assertThat(store.compareAndSet(v0, forged)).isTrue();

    TrackedOtp stored = store.find(v0.umid()).orElseThrow();
    assertThat(stored.otp()).isEqualTo(v0.otp());
    assertThat(stored.abandonAt()).isEqualTo(v0.abandonAt());
    assertThat(stored.state()).isEqualTo(TrackingState.VERIFIED);
  }

  @Test
  void compareAndSet_refusesAnUpdateThatIsNotTheNextVersionOfTheSameUmid() {
    TrackedOtp v0 = insert(pending(at(0)));
    TrackedOtp skipping = new TrackedOtp(v0.otp(), TrackingState.PENDING, 1, v0.abandonAt(), null, 2);
    TrackedOtp otherUmid = pending(at(0)).withWrongCode();

    assertThatThrownBy(() -> store.compareAndSet(v0, skipping))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.compareAndSet(v0, otherUmid))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.find(v0.umid())).contains(v0);
  }

  // ---- finish if pending

  @Test
  void finishIfPending_decidesAPendingRecord_asFindThenCompareAndSetWould() {
    TrackedOtp v0 = insert(pending(at(0)));
    TrackedOtp v1 = v0.withWrongCode();
    store.compareAndSet(v0, v1);

    // sent exactly at sentFrom: still in its window
    Optional<TrackedOtp> decided =
        store.finishIfPending(v0.umid(), TrackingState.VERIFIED, at(2_000), at(3_000), at(0));

    TrackedOtp expected = v1.finish(TrackingState.VERIFIED, at(2_000));
    assertThat(decided).contains(expected);
    assertThat(store.find(v0.umid())).contains(expected);
    assertThat(store.countPending()).isZero();
    assertThat(store.findDueForAbandonment(at(3_600_000), 10)).isEmpty();
  }

  @Test
  void finishIfPending_clampsTheDecisionTimeToSentAtAndNow() {
    TrackedOtp actedBeforeSent = insert(pending(at(1_000)));
    TrackedOtp actedAfterNow = insert(pending(at(1_000)));

    Optional<TrackedOtp> superseded =
        store.finishIfPending(
            actedBeforeSent.umid(), TrackingState.SUPERSEDED, at(500), at(5_000), at(0));
    Optional<TrackedOtp> abandoned =
        store.finishIfPending(
            actedAfterNow.umid(), TrackingState.ABANDONED, at(9_000), at(5_000), at(0));

    assertThat(superseded)
        .contains(actedBeforeSent.finish(TrackingState.SUPERSEDED, at(1_000)));
    assertThat(abandoned).contains(actedAfterNow.finish(TrackingState.ABANDONED, at(5_000)));
  }

  @Test
  void finishIfPending_changesNothing_forAFinalRecordAnUnknownUmidOrOneSentBeforeSentFrom() {
    TrackedOtp decided = insert(pending(at(0)).finish(TrackingState.ABANDONED, at(100)));
    TrackedOtp old = insert(pending(at(999)));
    UUID never = UUID.randomUUID();

    assertThat(
            store.finishIfPending(
                decided.umid(), TrackingState.VERIFIED, at(2_000), at(3_000), at(0)))
        .isEmpty();
    assertThat(
            store.finishIfPending(
                old.umid(), TrackingState.VERIFIED, at(2_000), at(3_000), at(1_000)))
        .isEmpty();
    assertThat(store.finishIfPending(never, TrackingState.VERIFIED, at(2_000), at(3_000), at(0)))
        .isEmpty();

    assertThat(store.find(decided.umid())).contains(decided);
    assertThat(store.find(old.umid())).contains(old);
    assertThat(store.find(never)).isEmpty();
    assertThat(store.countTracked()).isEqualTo(2);
    assertThat(store.countPending()).isEqualTo(1);
  }

  @Test
  void finishIfPending_refusesStatesThatDependOnMoreThanThePendingRecord() {
    TrackedOtp v0 = insert(pending(at(0)));

    for (TrackingState state :
        List.of(TrackingState.PENDING, TrackingState.MAX_ATTEMPTS, TrackingState.EXPIRED)) {
      assertThatThrownBy(() -> store.finishIfPending(v0.umid(), state, at(1), at(2), at(0)))
          .as("%s", state)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.find(v0.umid())).contains(v0);
  }

  // ---- due for abandonment

  @Test
  void findDueForAbandonment_returnsPendingRecordsDueAtOrBeforeNow_earliestFirst() {
    TrackedOtp late = insert(pending(at(3_000)));
    TrackedOtp early = insert(pending(at(1_000)));
    TrackedOtp exactlyNow = insert(pending(at(4_000)));
    insert(pending(at(4_001))); // due 1 ms after now
    insert(pending(at(0)).finish(TrackingState.VERIFIED, at(10))); // final: never due
    Instant now = at(4_000).plus(ABANDON_AFTER);

    List<TrackedOtp> due = store.findDueForAbandonment(now, 100);

    assertThat(due).containsExactly(early, late, exactlyNow);
  }

  @Test
  void findDueForAbandonment_returnsAtMostLimit_earliestFirst() {
    List<TrackedOtp> inserted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inserted.add(insert(pending(at(1_000L * (10 - i)))));
    }
    Instant now = at(60_000).plus(ABANDON_AFTER);

    List<TrackedOtp> due = store.findDueForAbandonment(now, 3);

    assertThat(due).containsExactly(inserted.get(9), inserted.get(8), inserted.get(7));
  }

  @Test
  void findDueForAbandonment_leavesOutARecord_onceItIsFinal() {
    TrackedOtp v0 = insert(pending(at(0)));
    Instant now = at(0).plus(ABANDON_AFTER);
    assertThat(store.findDueForAbandonment(now, 10)).containsExactly(v0);

    store.compareAndSet(v0, v0.finish(TrackingState.ABANDONED, now));

    assertThat(store.findDueForAbandonment(now, 10)).isEmpty();
  }

  @Test
  void findDueForAbandonment_returnsTheCurrentVersion_afterWrongCodes() {
    TrackedOtp v0 = insert(pending(at(0)));
    TrackedOtp v1 = v0.withWrongCode();
    store.compareAndSet(v0, v1);

    assertThat(store.findDueForAbandonment(at(0).plus(ABANDON_AFTER), 10)).containsExactly(v1);
  }

  @Test
  void limits_belowOne_areRefused() {
    assertThatThrownBy(() -> store.findDueForAbandonment(T0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.purgeFinishedBefore(T0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.evictOldestFinished(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- purge and evict

  @Test
  void purgeFinishedBefore_deletesOnlyFinalRecordsSentStrictlyBeforeTheCutoff() {
    TrackedOtp oldFinal = insert(pending(at(0)).finish(TrackingState.VERIFIED, at(100)));
    TrackedOtp oldExpired = insert(pending(at(500)).finish(TrackingState.EXPIRED, at(900)));
    TrackedOtp oldPending = insert(pending(at(0)));
    TrackedOtp atCutoff = insert(pending(at(1_000)).finish(TrackingState.SUPERSEDED, at(1_100)));
    TrackedOtp newFinal = insert(pending(at(2_000)).finish(TrackingState.ABANDONED, at(2_100)));

    int purged = store.purgeFinishedBefore(at(1_000), 100);

    assertThat(purged).isEqualTo(2);
    assertThat(store.find(oldFinal.umid())).isEmpty();
    assertThat(store.find(oldExpired.umid())).isEmpty();
    assertThat(store.find(oldPending.umid())).contains(oldPending);
    assertThat(store.find(atCutoff.umid())).contains(atCutoff);
    assertThat(store.find(newFinal.umid())).contains(newFinal);
    assertThat(store.countTracked()).isEqualTo(3);
  }

  @Test
  void purgeFinishedBefore_deletesAtMostLimit_oldestFirst() {
    TrackedOtp second = insert(pending(at(2_000)).finish(TrackingState.VERIFIED, at(2_000)));
    TrackedOtp first = insert(pending(at(1_000)).finish(TrackingState.VERIFIED, at(1_000)));
    TrackedOtp third = insert(pending(at(3_000)).finish(TrackingState.VERIFIED, at(3_000)));

    assertThat(store.purgeFinishedBefore(at(10_000), 2)).isEqualTo(2);

    assertThat(store.find(first.umid())).isEmpty();
    assertThat(store.find(second.umid())).isEmpty();
    assertThat(store.find(third.umid())).contains(third);
  }

  @Test
  void evictOldestFinished_deletesFinalRecordsOldestSentFirst_neverPendingOnes() {
    TrackedOtp oldestPending = insert(pending(at(0)));
    TrackedOtp newerFinal = insert(pending(at(3_000)).finish(TrackingState.VERIFIED, at(3_000)));
    TrackedOtp olderFinal = insert(pending(at(1_000)).finish(TrackingState.ABANDONED, at(1_000)));

    assertThat(store.evictOldestFinished(1)).isEqualTo(1);
    assertThat(store.find(olderFinal.umid())).isEmpty();
    assertThat(store.find(newerFinal.umid())).contains(newerFinal);

    assertThat(store.evictOldestFinished(5)).isEqualTo(1);
    assertThat(store.find(newerFinal.umid())).isEmpty();
    assertThat(store.find(oldestPending.umid())).contains(oldestPending);
    assertThat(store.evictOldestFinished(5)).isZero();
  }

  @Test
  void insertIfAbsent_afterPurge_startsAFreshRecord() {
    TrackedOtp v0 = insert(pending(at(0)));
    store.compareAndSet(v0, v0.finish(TrackingState.VERIFIED, at(10)));
    store.purgeFinishedBefore(at(1), 10);

    assertThat(store.insertIfAbsent(v0)).isTrue();

    assertThat(store.find(v0.umid())).contains(v0);
  }

  // ---- counts

  @Test
  void counts_followInsertsChangesAndDeletes() {
    assertThat(store.countTracked()).isZero();
    assertThat(store.countPending()).isZero();
    TrackedOtp a = insert(pending(at(0)));
    insert(pending(at(1_000)));
    assertThat(store.countTracked()).isEqualTo(2);
    assertThat(store.countPending()).isEqualTo(2);

    store.compareAndSet(a, a.withWrongCode());
    assertThat(store.countPending()).isEqualTo(2);
    store.compareAndSet(a.withWrongCode(), a.withWrongCode().finish(TrackingState.VERIFIED, at(5)));
    assertThat(store.countTracked()).isEqualTo(2);
    assertThat(store.countPending()).isEqualTo(1);

    store.evictOldestFinished(10);
    assertThat(store.countTracked()).isEqualTo(1);
    assertThat(store.countPending()).isEqualTo(1);
  }

  // ---- concurrency

  @Test
  void compareAndSet_fromTwoThreadsOnTheSameVersion_exactlyOneWins() throws Exception {
    int umids = 500;
    int bothWon = 0;
    int noneWon = 0;
    for (int i = 0; i < umids; i++) {
      long ms = i;
      TrackedOtp v0 = insert(pending(at(ms)));
      CountDownLatch start = new CountDownLatch(1);
      Future<Boolean> success =
          pool.submit(
              awaitThen(start, () -> store.compareAndSet(v0, v0.finish(TrackingState.VERIFIED, at(ms + 1)))));
      Future<Boolean> failure =
          pool.submit(
              awaitThen(start, () -> store.compareAndSet(v0, v0.finish(TrackingState.ABANDONED, at(ms + 2)))));
      start.countDown();
      boolean s = success.get(10, TimeUnit.SECONDS);
      boolean f = failure.get(10, TimeUnit.SECONDS);
      bothWon += s && f ? 1 : 0;
      noneWon += !s && !f ? 1 : 0;
      TrackedOtp stored = store.find(v0.umid()).orElseThrow();
      assertThat(stored.state()).isEqualTo(s ? TrackingState.VERIFIED : TrackingState.ABANDONED);
      assertThat(stored.version()).isEqualTo(1);
    }
    assertThat(bothWon).as("umids where both writers won").isZero();
    assertThat(noneWon).as("umids where no writer won").isZero();
    assertThat(store.countPending()).isZero();
  }

  @Test
  void finishIfPending_racingAnotherDecision_decidesEachUmidOnce() throws Exception {
    for (int i = 0; i < 300; i++) {
      long ms = i;
      TrackedOtp v0 = insert(pending(at(ms)));
      CountDownLatch start = new CountDownLatch(1);
      Future<Optional<TrackedOtp>> verified =
          pool.submit(
              awaitThen(
                  start,
                  () ->
                      store.finishIfPending(
                          v0.umid(), TrackingState.VERIFIED, at(ms + 1), at(ms + 5), at(0))));
      Future<Optional<TrackedOtp>> superseded =
          pool.submit(
              awaitThen(
                  start,
                  () ->
                      store.finishIfPending(
                          v0.umid(), TrackingState.SUPERSEDED, at(ms + 2), at(ms + 5), at(0))));
      Future<Boolean> abandoned =
          pool.submit(
              awaitThen(
                  start,
                  () -> store.compareAndSet(v0, v0.finish(TrackingState.ABANDONED, at(ms + 3)))));
      start.countDown();
      Optional<TrackedOtp> v = verified.get(10, TimeUnit.SECONDS);
      Optional<TrackedOtp> s = superseded.get(10, TimeUnit.SECONDS);
      boolean a = abandoned.get(10, TimeUnit.SECONDS);

      assertThat((v.isPresent() ? 1 : 0) + (s.isPresent() ? 1 : 0) + (a ? 1 : 0))
          .as("decisions of umid %d", i)
          .isEqualTo(1);
      TrackedOtp stored = store.find(v0.umid()).orElseThrow();
      TrackingState winner =
          v.isPresent()
              ? TrackingState.VERIFIED
              : s.isPresent() ? TrackingState.SUPERSEDED : TrackingState.ABANDONED;
      assertThat(stored.state()).isEqualTo(winner);
      assertThat(stored.version()).isEqualTo(1);
      v.or(() -> s).ifPresent(written -> assertThat(stored).isEqualTo(written));
    }
    assertThat(store.countPending()).isZero();
  }

  @Test
  void finishIfPending_racingAWrongCode_losesNeitherOfThem() throws Exception {
    for (int i = 0; i < 300; i++) {
      long ms = i;
      TrackedOtp v0 = insert(pending(at(ms)));
      CountDownLatch start = new CountDownLatch(1);
      Future<Optional<TrackedOtp>> verified =
          pool.submit(
              awaitThen(
                  start,
                  () ->
                      store.finishIfPending(
                          v0.umid(), TrackingState.VERIFIED, at(ms + 1), at(ms + 5), at(0))));
      Future<Boolean> wrongCode =
          pool.submit(awaitThen(start, () -> store.compareAndSet(v0, v0.withWrongCode())));
      start.countDown();
      Optional<TrackedOtp> v = verified.get(10, TimeUnit.SECONDS);
      boolean w = wrongCode.get(10, TimeUnit.SECONDS);

      // the decision always applies: to the first version, or on top of the wrong code
      assertThat(v).as("umid %d verified", i).isPresent();
      TrackedOtp stored = store.find(v0.umid()).orElseThrow();
      assertThat(stored).isEqualTo(v.orElseThrow());
      assertThat(stored.state()).isEqualTo(TrackingState.VERIFIED);
      assertThat(stored.wrongCodes()).isEqualTo(w ? 1 : 0);
      assertThat(stored.version()).isEqualTo(w ? 2 : 1);
    }
  }

  @Test
  void insertIfAbsent_fromManyThreads_exactlyOneWins() throws Exception {
    for (int i = 0; i < 200; i++) {
      UUID umid = UUID.randomUUID();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SentOtp otp = new SentOtp("sub-" + t, umid, at(t));
        TrackedOtp record = TrackedOtp.pending(otp, at(t).plus(ABANDON_AFTER));
        results.add(pool.submit(awaitThen(start, () -> store.insertIfAbsent(record))));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> r : results) {
        winners += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    }
    assertThat(store.countTracked()).isEqualTo(200);
    assertThat(store.countPending()).isEqualTo(200);
  }

  @Test
  void compareAndSet_retryLoopsFromManyThreads_loseNoUpdate() throws Exception {
    TrackedOtp v0 = insert(pending(at(0)));
    int perThread = 250;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              awaitThen(
                  start,
                  () -> {
                    int lost = 0;
                    for (int n = 0; n < perThread; n++) {
                      while (true) {
                        TrackedOtp current = store.find(v0.umid()).orElseThrow();
                        if (store.compareAndSet(current, current.withWrongCode())) {
                          break;
                        }
                        lost++;
                      }
                    }
                    return lost;
                  })));
    }
    start.countDown();
    for (Future<Integer> r : results) {
      r.get(30, TimeUnit.SECONDS);
    }

    TrackedOtp stored = store.find(v0.umid()).orElseThrow();
    assertThat(stored.wrongCodes()).isEqualTo(THREADS * perThread);
    assertThat(stored.version()).isEqualTo(THREADS * perThread);
  }

  @Test
  void concurrentDecisionsScansPurgesAndEvictions_keepCountsAndIndexesConsistent()
      throws Exception {
    int perThread = 500;
    Instant now = at(3_600_000);
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      results.add(
          pool.submit(
              awaitThen(
                  start,
                  () -> {
                    for (int n = 0; n < perThread; n++) {
                      TrackedOtp v0 = insert(pending(at(thread * perThread + n)));
                      if (n % 2 == 0) {
                        if (store.compareAndSet(v0, v0.finish(TrackingState.VERIFIED, at(n)))) {
                          finished.incrementAndGet();
                        }
                      }
                      if (thread == 0) {
                        for (TrackedOtp due : store.findDueForAbandonment(now, 50)) {
                          if (store.compareAndSet(
                              due, due.finish(TrackingState.ABANDONED, now))) {
                            finished.incrementAndGet();
                          }
                        }
                      }
                      if (thread == 1 && n % 10 == 0) {
                        store.purgeFinishedBefore(now, 5);
                        store.evictOldestFinished(5);
                      }
                    }
                    return null;
                  })));
    }
    start.countDown();
    for (Future<?> r : results) {
      r.get(30, TimeUnit.SECONDS);
    }

    int total = THREADS * perThread;
    long tracked = store.countTracked();
    long pendingNow = store.countPending();
    assertThat(pendingNow).isEqualTo(total - finished.get());
    assertThat(store.findDueForAbandonment(now, total)).hasSize((int) pendingNow);
    int purged = store.purgeFinishedBefore(now, total);
    assertThat(store.countTracked()).isEqualTo(tracked - purged).isEqualTo(pendingNow);
    assertThat(store.evictOldestFinished(total)).isZero();
  }

  // ---- helpers

  /** {@code T0} plus {@code millis} milliseconds. */
  protected static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /** A new pending record with a random umid sent at {@code sentAt}, due 10 minutes later. */
  protected static TrackedOtp pending(Instant sentAt) {
    return TrackedOtp.pending(
        new SentOtp("sub.Account-1&x", UUID.randomUUID(), sentAt), sentAt.plus(ABANDON_AFTER));
  }

  private TrackedOtp insert(TrackedOtp record) {
    assertThat(store.insertIfAbsent(record)).as("inserted %s", record.umid()).isTrue();
    return record;
  }

  private static <T> Callable<T> awaitThen(CountDownLatch start, Callable<T> body) {
    return () -> {
      if (!start.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("start latch not released");
      }
      return body.call();
    };
  }
}
