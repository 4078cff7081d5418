package io.smsfeedback.servlet.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/** Logs the first occurrence of each kind at WARN (or ERROR), the rest at DEBUG. Thread-safe. */
public final class OnceLogger {

  private static final int MAX_KINDS = 256;

  private final Logger log;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public OnceLogger(Logger log) {
    this.log = log;
  }

  public void warn(String kind, String message, @Nullable Throwable error) {
    if (first(kind)) {
      log.warn(message + " (logged once; later ones at DEBUG)", error);
    } else if (log.isDebugEnabled()) {
      log.debug(message, error);
    }
  }

  public void error(String kind, String message, @Nullable Throwable error) {
    if (first(kind)) {
      log.error(message + " (logged once; later ones at DEBUG)", error);
    } else if (log.isDebugEnabled()) {
      log.debug(message, error);
    }
  }

  private boolean first(String kind) {
    return seen.size() < MAX_KINDS && seen.add(kind);
  }
}
