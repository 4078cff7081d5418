package io.smsfeedback.servlet.internal;

import org.jspecify.annotations.Nullable;

/**
 * The request that is inside the filter on this thread, for framework bridges that learn the
 * verdict from events published on the request thread. Bound around {@code chain.doFilter} and
 * always unbound in {@code finally}.
 */
public final class CurrentRequest {

  private static final ThreadLocal<CurrentRequest> CURRENT = new ThreadLocal<>();

  private final @Nullable CurrentRequest previous;
  private volatile @Nullable Verdict verdict;

  private CurrentRequest(@Nullable CurrentRequest previous) {
    this.previous = previous;
  }

  /** Records {@code verdict} for the bound request (the last one recorded wins). */
  public static boolean record(Verdict verdict) {
    CurrentRequest current = CURRENT.get();
    if (current == null) {
      return false;
    }
    current.verdict = verdict;
    return true;
  }

  /** Whether a request is bound on this thread. */
  public static boolean isBound() {
    return CURRENT.get() != null;
  }

  public static CurrentRequest bind() {
    CurrentRequest scope = new CurrentRequest(CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** Restores what was bound before and returns the verdict recorded meanwhile, if any. */
  public @Nullable Verdict unbind() {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
    return verdict;
  }
}
