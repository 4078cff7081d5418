package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomUuidsTest {

  @Test
  void next_givesDistinctVersion4IetfVariantUuids() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      UUID uuid = RandomUuids.next();
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
      seen.add(uuid);
    }
    assertThat(seen).hasSize(10_000);
  }
}
