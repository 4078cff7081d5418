package io.smsfeedback.internal.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RememberedUmidsTest {

  final RememberedUmids set = new RememberedUmids();

  static UUID umid(long i) {
    return new UUID(0x4000L | i << 16, 0x8000_0000_0000_0000L | i);
  }

  @Test
  void remembers_untilTheDeadline_exclusive() {
    set.add(umid(1), 100, 0);

    assertThat(set.contains(umid(1), 0)).isTrue();
    assertThat(set.contains(umid(1), 99)).isTrue();
    assertThat(set.contains(umid(1), 100)).as("forgotten at its deadline").isFalse();
    assertThat(set.contains(umid(2), 0)).isFalse();
  }

  @Test
  void aUmidForgotten_canBeRememberedAgain_withItsNewDeadline() {
    set.add(umid(1), 100, 0);
    set.add(umid(1), 300, 150);

    assertThat(set.contains(umid(1), 299)).isTrue();
    assertThat(set.filled()).as("the same slot").isEqualTo(1);
  }

  @Test
  void manyUmids_areAllFound_whileTheTableGrows() {
    List<UUID> umids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      umids.add(UUID.randomUUID());
      set.add(umids.get(i), 1_000 + i, 0);
    }

    assertThat(umids).allMatch(u -> set.contains(u, 999));
    assertThat(set.contains(UUID.randomUUID(), 0)).isFalse();
    assertThat(set.capacity()).as("at most three quarters full").isGreaterThanOrEqualTo(10_000 * 4 / 3);
  }

  @Test
  void umidsWithTheSameHash_areTellApart() {
    // UUID.hashCode folds msb ^ lsb: these all collide
    for (long i = 1; i <= 50; i++) {
      set.add(new UUID(i, i), 100, 0);
    }
    set.add(new UUID(0, 0), 100, 0);

    for (long i = 1; i <= 50; i++) {
      assertThat(set.contains(new UUID(i, i), 0)).isTrue();
    }
    assertThat(set.contains(new UUID(0, 0), 0)).isTrue();
    assertThat(set.contains(new UUID(51, 51), 0)).isFalse();
  }

  @Test
  void passedEntries_makeRoomForNewOnes_soTheTableStaysBounded() {
    // a steady stream: each umid remembered for 1,000 ticks, one new per tick
    for (long t = 0; t < 100_000; t++) {
      set.add(umid(t), t + 1_000, t);
      assertThat(set.contains(umid(t), t)).isTrue();
    }

    assertThat(set.contains(umid(99_000), 99_999)).as("still live").isTrue();
    assertThat(set.contains(umid(98_999), 99_999)).as("passed").isFalse();
    assertThat(set.capacity()).as("about twice the 1,000 live, not the 100,000 seen").isLessThan(4_000);
  }

  @Test
  void rebuild_keepsOnlyLiveEntries_andShrinks() {
    for (int i = 0; i < 1_000; i++) {
      set.add(umid(i), i < 990 ? 10 : 1_000_000, 0);
    }
    int big = set.capacity();
    // short-lived umids after the first 990 deadlines passed, until the table is rebuilt
    long now = 11;
    for (int i = 1_000; set.capacity() >= big; i++, now++) {
      set.add(umid(i), now + 1, now);
      assertThat(i).as("rebuilt within 10,000 more").isLessThan(11_000);
    }

    for (int i = 990; i < 1_000; i++) {
      assertThat(set.contains(umid(i), now)).as("live ones kept").isTrue();
    }
    assertThat(set.capacity()).as("sized for the few live ones").isLessThan(big / 10);
  }

  @Test
  void whenEveryDeadlinePassed_theNextAddStartsAfresh() {
    for (int i = 0; i < 1_000; i++) {
      set.add(umid(i), 100 + i, 0);
    }
    assertThat(set.capacity()).isGreaterThan(1_000);

    set.add(umid(5_000), 2_000, 1_098);
    assertThat(set.capacity()).as("not yet: one is still live").isGreaterThan(1_000);

    set.add(umid(5_001), 3_000, 2_000);
    assertThat(set.capacity()).isEqualTo(RememberedUmids.MIN_CAPACITY);
    assertThat(set.filled()).isEqualTo(1);
    assertThat(set.contains(umid(5_001), 2_999)).isTrue();
    assertThat(set.contains(umid(999), 1_000)).isFalse();
  }
}
