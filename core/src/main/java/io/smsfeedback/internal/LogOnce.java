package io.smsfeedback.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs the first event of each kind loudly (WARN or ERROR) and its repeats at DEBUG, so a fault that
 * repeats on every request or every attempt cannot flood the log. Kinds are the caller's short
 * strings; after {@value #MAX_KINDS} distinct kinds every event is a repeat (a bound on memory for
 * kinds made from input, such as an HTTP status). Thread-safe; the one such helper in the project.
 */
public final class LogOnce {

  static final int MAX_KINDS = 256;
  private static final String REPEATS = " (repeats are logged at DEBUG)";

  private final Logger log;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public LogOnce(Logger log) {
    this.log = log;
  }

  /** Whether this is the first time {@code kind} is seen (false once too many kinds were seen). */
  public boolean first(String kind) {
    return seen.size() < MAX_KINDS && seen.add(kind);
  }

  /** WARN the first time for {@code kind}, DEBUG after. {@code message} is not a format string. */
  public void warn(String kind, String message, @Nullable Throwable error) {
    if (first(kind)) {
      log.warn(message + REPEATS, error);
    } else if (log.isDebugEnabled()) {
      log.debug(message, error);
    }
  }

  /** ERROR the first time for {@code kind}, DEBUG after. {@code message} is not a format string. */
  public void error(String kind, String message, @Nullable Throwable error) {
    if (first(kind)) {
      log.error(message + REPEATS, error);
    } else if (log.isDebugEnabled()) {
      log.debug(message, error);
    }
  }
}
