package io.smsfeedback.testing;

import io.smsfeedback.AttemptEvent;
import io.smsfeedback.DeliveryEvent;
import io.smsfeedback.DeliveryState;
import io.smsfeedback.FeedbackListener;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event. Thread-safe. */
public final class RecordingListener implements FeedbackListener {

  public final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
  public final List<DeliveryEvent> terminals = new CopyOnWriteArrayList<>();

  @Override
  public void onAttempt(AttemptEvent event) {
    attempts.add(event);
  }

  @Override
  public void onTerminal(DeliveryEvent event) {
    terminals.add(event);
  }

  public List<DeliveryEvent> terminals(DeliveryState state) {
    return terminals.stream().filter(e -> e.state() == state).toList();
  }

  /** The terminal state of {@code umid}, or null if none yet. Fails if there are two. */
  public DeliveryState stateOf(UUID umid) {
    List<DeliveryEvent> es = terminals.stream().filter(e -> e.feedback().umid().equals(umid)).toList();
    if (es.size() > 1) {
      throw new AssertionError("two terminal events for " + umid + ": " + es);
    }
    return es.isEmpty() ? null : es.get(0).state();
  }
}
