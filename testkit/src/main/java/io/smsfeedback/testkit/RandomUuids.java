package io.smsfeedback.testkit;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-4 UUIDs from {@link ThreadLocalRandom}: unique enough for a simulator, and without the
 * shared {@code SecureRandom} behind {@link UUID#randomUUID()}, which serializes busy threads.
 */
final class RandomUuids {

  private RandomUuids() {}

  static UUID next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(most, least);
  }
}
