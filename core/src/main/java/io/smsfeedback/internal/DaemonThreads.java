package io.smsfeedback.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The library's own threads: named, daemon (they never keep an application's JVM alive). */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Makes daemon threads named by {@code name}, each handed to {@code created} before it starts. */
  public static ThreadFactory factory(Supplier<String> name, Consumer<Thread> created) {
    return r -> {
      Thread t = new Thread(r, name.get());
      t.setDaemon(true);
      created.accept(t);
      return t;
    };
  }

  /**
   * A scheduler on one daemon thread called {@code name}; cancelled tasks leave its queue at once.
   */
  public static ScheduledThreadPoolExecutor scheduler(String name, Consumer<Thread> created) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, factory(() -> name, created));
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
