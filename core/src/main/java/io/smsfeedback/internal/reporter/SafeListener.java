package io.smsfeedback.internal.reporter;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.internal.LogOnce;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls listeners in order; a listener that throws is logged (WARN once per method) and skipped. */
final class SafeListener {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReporter.class);

  private final List<FeedbackListener> listeners;
  private final LogOnce logs;

  SafeListener(List<FeedbackListener> listeners, LogOnce logs) {
    this.listeners = List.copyOf(listeners);
    this.logs = logs;
  }

  /** Whether there is any listener to call (else events need not be made). */
  boolean any() {
    return !listeners.isEmpty();
  }

  void onAttempt(AttemptEvent event) {
    for (FeedbackListener l : listeners) {
      try {
        l.onAttempt(event);
      } catch (Throwable t) {
        failed("onAttempt", l, t);
      }
    }
  }

  void onTerminal(DeliveryEvent event) {
    for (FeedbackListener l : listeners) {
      try {
        l.onTerminal(event);
      } catch (Throwable t) {
        failed("onTerminal", l, t);
      }
    }
  }

  private void failed(String method, FeedbackListener l, Throwable t) {
    if (t instanceof VirtualMachineError e) {
      throw e;
    }
    if (logs.first("listener:" + method)) {
      log.warn(
          "FeedbackListener {}.{} threw; ignored, delivery goes on (repeats are logged at DEBUG)",
          l.getClass().getName(),
          method,
          t);
    } else {
      log.debug("FeedbackListener {}.{} threw; ignored", l.getClass().getName(), method, t);
    }
  }
}
