package io.smsfeedback.internal.reporter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers which kinds of events were logged already, so the first is loud and repeats quiet. */
final class LogLimiter {

  private static final int MAX_KINDS = 256;

  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** Whether this is the first time {@code kind} is seen (false once too many kinds were seen). */
  boolean first(String kind) {
    return seen.size() < MAX_KINDS && seen.add(kind);
  }
}
