package io.smsfeedback.internal.reporter;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.internal.LogOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Side effects (transport calls, listener calls, logging) collected while a lock is held and run
 * after it is released, by the thread that made the transition. Not thread-safe: one batch belongs
 * to one transition. A batch counts as pending from its first action until it has run, so {@code
 * flush()} also waits for listeners to hear the last transitions.
 */
final class Effects {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  /** What every batch of one reporter shares. Thread-safe. */
  static final class Context {
    final SafeListener listener;
    final LogOnce logs;
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable quiet;

    /** {@code quiet} runs whenever the last pending batch has run. */
    Context(SafeListener listener, LogOnce logs, Runnable quiet) {
      this.listener = listener;
      this.logs = logs;
      this.quiet = quiet;
    }

    Effects open() {
      return new Effects(this);
    }

    /** Whether every batch handed out has run. */
    boolean quiet() {
      return pending.get() == 0;
    }
  }

  private final Context context;
  private @Nullable List<Runnable> actions;

  private Effects(Context context) {
    this.context = context;
  }

  void add(Runnable r) {
    if (actions == null) {
      actions = new ArrayList<>(4);
      context.pending.incrementAndGet();
    }
    actions.add(r);
  }

  void attempt(AttemptEvent e) {
    SafeListener listener = context.listener;
    if (listener.any()) {
      add(() -> listener.onAttempt(e));
    }
  }

  void terminal(DeliveryEvent e) {
    SafeListener listener = context.listener;
    if (listener.any()) {
      add(() -> listener.onTerminal(e));
    }
  }

  /** A WARN the first time for {@code kind}, DEBUG after ({@link LogOnce}). */
  void warnOnce(String kind, String message) {
    LogOnce logs = context.logs;
    add(() -> logs.warn(kind, message, null));
  }

  void run() {
    if (actions == null) {
      return;
    }
    try {
      for (Runnable r : actions) {
        try {
          r.run();
        } catch (RuntimeException e) {
          if (context.logs.first("effect-failed")) {
            log.warn("Unexpected failure after a state change; ignored", e);
          }
        }
      }
    } finally {
      actions = null;
      if (context.pending.decrementAndGet() == 0) {
        context.quiet.run();
      }
    }
  }
}
