package io.smsfeedback.insight;

/**
 * Told when a country's {@link PumpingAlarm} is raised and when it clears: once each per episode.
 * The default does nothing.
 *
 * <p><b>Threading.</b> Called on the thread that runs {@link PumpingAlarm#check()}, one event at a
 * time. <b>Failure.</b> Should not throw; if it does, the alarm logs it and carries on.
 */
public interface AlarmListener {

  /** A listener that does nothing. */
  AlarmListener NOOP = new AlarmListener() {};

  /** A country went into alarm. */
  default void raised(AlarmEvent event) {}

  /** A country's alarm cleared by itself: no sign of pumping for {@code clearAfter}. */
  default void cleared(AlarmEvent event) {}
}
