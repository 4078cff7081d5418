package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RememberedUmidsTest {

  final RememberedUmids set = new RememberedUmids();

  /** Times are epoch nanoseconds; the table keeps milliseconds. */
  static long ms(long millis) {
    return millis * 1_000_000L;
  }

  static UUID umid(long i) {
    return new UUID(0x4000L | i << 16, 0x8000_0000_0000_0000L | i);
  }

  @Test
  void remembers_untilTheDeadline_exclusive() {
    set.add(umid(1), ms(100), ms(0));

    assertThat(set.contains(umid(1), ms(0))).isTrue();
    assertThat(set.contains(umid(1), ms(99))).isTrue();
    assertThat(set.contains(umid(1), ms(100))).as("forgotten at its deadline").isFalse();
    assertThat(set.contains(umid(2), ms(0))).isFalse();
  }

  @Test
  void aDeadlineBetweenMilliseconds_isRoundedUp() {
    set.add(umid(1), ms(100) + 1, 0);

    assertThat(set.contains(umid(1), ms(100))).isTrue();
    assertThat(set.contains(umid(1), ms(101) - 1)).as("up to a millisecond longer").isTrue();
    assertThat(set.contains(umid(1), ms(101))).isFalse();
  }

  @Test
  void find_givesTheSlotToAddTo_orMinusOneWhenRemembered() {
    int slot = set.find(umid(1), 0);
    assertThat(slot).isNotNegative();
    set.add(slot, umid(1), ms(100), 0);

    assertThat(set.find(umid(1), ms(99))).isEqualTo(-1);
    assertThat(set.find(umid(1), ms(100))).as("passed: its own slot again").isEqualTo(slot);
  }

  @Test
  void aUmidForgotten_canBeRememberedAgain_withItsNewDeadline() {
    set.add(umid(1), ms(100), ms(0));
    set.add(umid(1), ms(300), ms(150));

    assertThat(set.contains(umid(1), ms(299))).isTrue();
    assertThat(set.filled()).as("the same slot").isEqualTo(1);
  }

  @Test
  void manyUmids_areAllFound_whileTheTableGrows() {
    List<UUID> umids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      umids.add(UUID.randomUUID());
      set.add(umids.get(i), ms(1_000 + i), ms(0));
    }

    assertThat(umids).allMatch(u -> set.contains(u, ms(999)));
    assertThat(set.contains(UUID.randomUUID(), ms(0))).isFalse();
    assertThat(set.capacity()).as("at most three quarters full").isGreaterThanOrEqualTo(10_000 * 4 / 3);
  }

  @Test
  void umidsAlike_areToldApart() {
    // UUID.hashCode folds msb ^ lsb: these would all collide there
    for (long i = 1; i <= 50; i++) {
      set.add(new UUID(i, i), ms(100), ms(0));
    }
    set.add(new UUID(0, 0), ms(100), ms(0));

    for (long i = 1; i <= 50; i++) {
      assertThat(set.contains(new UUID(i, i), ms(0))).isTrue();
    }
    assertThat(set.contains(new UUID(0, 0), ms(0))).isTrue();
    assertThat(set.contains(new UUID(51, 51), ms(0))).isFalse();
  }

  @Test
  void passedEntries_makeRoomForNewOnes_soTheTableStaysBounded() {
    // a steady stream: each umid remembered for 1,000 ticks, one new per tick
    for (long t = 0; t < 100_000; t++) {
      set.add(umid(t), ms(t + 1_000), ms(t));
      assertThat(set.contains(umid(t), ms(t))).isTrue();
    }

    assertThat(set.contains(umid(99_000), ms(99_999))).as("still live").isTrue();
    assertThat(set.contains(umid(98_999), ms(99_999))).as("passed").isFalse();
    assertThat(set.capacity()).as("about twice the 1,000 live, not the 100,000 seen").isLessThan(4_000);
  }

  @Test
  void rebuild_keepsOnlyLiveEntries_andShrinks() {
    for (int i = 0; i < 1_000; i++) {
      set.add(umid(i), ms(i < 990 ? 10 : 1_000_000), ms(0));
    }
    int big = set.capacity();
    // short-lived umids after the first 990 deadlines passed, until the table is rebuilt
    long now = 11;
    for (int i = 1_000; set.capacity() >= big; i++, now++) {
      set.add(umid(i), ms(now + 1), ms(now));
      assertThat(i).as("rebuilt within 10,000 more").isLessThan(11_000);
    }

    for (int i = 990; i < 1_000; i++) {
      assertThat(set.contains(umid(i), ms(now))).as("live ones kept").isTrue();
    }
    assertThat(set.capacity()).as("sized for the few live ones").isLessThan(big / 10);
  }

  @Test
  void whenEveryDeadlinePassed_theNextAddStartsAfresh() {
    for (int i = 0; i < 1_000; i++) {
      set.add(umid(i), ms(100 + i), ms(0));
    }
    assertThat(set.capacity()).isGreaterThan(1_000);

    set.add(umid(5_000), ms(2_000), ms(1_098));
    assertThat(set.capacity()).as("not yet: one is still live").isGreaterThan(1_000);

    set.add(umid(5_001), ms(3_000), ms(2_000));
    assertThat(set.capacity()).isEqualTo(RememberedUmids.MIN_CAPACITY);
    assertThat(set.filled()).isEqualTo(1);
    assertThat(set.contains(umid(5_001), ms(2_999))).isTrue();
    assertThat(set.contains(umid(999), ms(1_000))).isFalse();
  }
}
