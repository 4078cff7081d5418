package io.smsfeedback.servlet.internal;

import org.jspecify.annotations.Nullable;

/**
 * The request that is inside the filter on this thread, for framework bridges that learn the
 * verdict from events published on the request thread. Bound around {@code chain.doFilter} and
 * always unbound in {@code finally}.
 *
 * <p>A request with no OTP pending is bound to a shared scope that accepts and ignores verdicts
 * (there is nothing to judge), and unbinding sets the thread's slot back to its previous value
 * ({@code null}) instead of removing it, so the thread's next request reuses the slot: most
 * requests then allocate nothing here. The slot's key is a JDK {@code ThreadLocal} and its value is
 * {@code null} between requests, so it keeps no web-app class loader alive.
 */
public final class CurrentRequest {

  private static final ThreadLocal<CurrentRequest> CURRENT = new ThreadLocal<>();

  /** Bound while a request with no OTP pending runs: verdicts are accepted and ignored. */
  private static final CurrentRequest NOTHING_PENDING = new CurrentRequest(null, false);

  private final @Nullable CurrentRequest previous;
  private final boolean recording;
  private volatile @Nullable Verdict verdict;

  private CurrentRequest(@Nullable CurrentRequest previous, boolean recording) {
    this.previous = previous;
    this.recording = recording;
  }

  /** Records {@code verdict} for the bound request (the last one recorded wins). */
  public static boolean record(Verdict verdict) {
    CurrentRequest current = CURRENT.get();
    if (current == null) {
      return false;
    }
    if (current.recording) {
      current.verdict = verdict;
    }
    return true;
  }

  /** Whether a request is bound on this thread. */
  public static boolean isBound() {
    return CURRENT.get() != null;
  }

  /** Binds a request that has an OTP pending: its verdict is recorded. */
  public static CurrentRequest bind() {
    return bind(true);
  }

  /**
   * Binds the request now inside the filter.
   *
   * @param pending whether it has an OTP pending; if not, verdicts recorded for it are ignored
   */
  public static CurrentRequest bind(boolean pending) {
    CurrentRequest previous = CURRENT.get();
    CurrentRequest scope =
        pending || previous != null ? new CurrentRequest(previous, pending) : NOTHING_PENDING;
    CURRENT.set(scope);
    return scope;
  }

  /** Restores what was bound before and returns the verdict recorded meanwhile, if any. */
  public @Nullable Verdict unbind() {
    CURRENT.set(previous); // null: keeps the slot for the thread's next request (see above)
    return verdict;
  }
}
