package io.smsfeedback.insight;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Immutable statistics at one moment, one {@link WindowStats} per window, shortest first.
 *
 * @param at when the snapshot was taken (the statistics' clock)
 * @param windows the windows, shortest first
 * @param destinationsNotNoted sends whose calling code could not be kept because {@code
 *     maxPendingDestinations} were waiting for their outcome; they count as {@link
 *     ConversionStats#UNKNOWN}
 */
public record ConversionSnapshot(
    Instant at, List<WindowStats> windows, long destinationsNotNoted) {

  public ConversionSnapshot {
    Objects.requireNonNull(at, "at");
    windows = List.copyOf(windows);
  }

  /**
   * The window of exactly {@code length}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public WindowStats window(Duration length) {
    for (WindowStats w : windows) {
      if (w.length().equals(length)) {
        return w;
      }
    }
    throw new IllegalArgumentException("no window of " + length + "; windows: " + windows.size());
  }
}
