package io.smsfeedback.spring.internal;

import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.internal.LogOnce;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link AlarmListener} bean as the alarm's one listener, each isolated: one that throws is
 * logged once (per listener class) and the others are still told.
 */
public final class AlarmListeners implements AlarmListener {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.spring");

  private final List<AlarmListener> listeners;
  private final LogOnce logOnce = new LogOnce(LOG);

  private AlarmListeners(List<AlarmListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** {@code listeners} as one; {@link AlarmListener#NOOP} when there are none. */
  public static AlarmListener of(List<AlarmListener> listeners) {
    return listeners.isEmpty() ? AlarmListener.NOOP : new AlarmListeners(listeners);
  }

  @Override
  public void raised(AlarmEvent event) {
    each(l -> l.raised(event));
  }

  @Override
  public void cleared(AlarmEvent event) {
    each(l -> l.cleared(event));
  }

  private void each(Consumer<AlarmListener> call) {
    for (AlarmListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        String name = l.getClass().getName();
        logOnce.warn(name, "sms-feedback: the alarm listener " + name + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "AlarmListeners" + listeners;
  }
}
