package io.smsfeedback.spring.internal;

import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.PumpingAlarm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link PumpingAlarm}'s {@code check()} every {@link #CHECK_INTERVAL} on one daemon
 * thread of its own (shut down with the context), and shows the countries in alarm in the health
 * details under {@code pumpingAlarms} (health stays UP).
 */
public final class ConversionInsight implements FeedbackHealth.StoreDetails, AutoCloseable {

  /** How often the alarm reads the statistics: 30 s (the windows move in 30 s buckets). */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.spring");

  private final PumpingAlarm alarm;
  private final ScheduledExecutorService scheduler;

  public ConversionInsight(PumpingAlarm alarm) {
    this.alarm = alarm;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sms-feedback-insight");
              t.setDaemon(true);
              return t;
            });
    long period = CHECK_INTERVAL.toMillis();
    scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      alarm.check();
    } catch (RuntimeException e) {
      // A failed check must not end the schedule; the next one reads the statistics afresh.
      LOG.warn("sms-feedback pumping alarm check failed", e);
    }
  }

  @Override
  public void addTo(Map<String, Object> details) {
    details.put("pumpingAlarms", alarms(alarm.active()));
  }

  /** The active alarms as JSON-friendly maps, one per country. */
  public static List<Map<String, Object>> alarms(List<AlarmEvent> active) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlarmEvent e : active) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("country", e.callingCode());
      m.put("reason", e.reason().name());
      m.put("since", e.at().toString());
      m.put("recentSent", e.recentSent());
      m.put("recentDecided", e.recentDecided());
      m.put("recentSuccesses", e.recentSuccesses());
      m.put("upperBound", e.upperBound());
      m.put("baseline", e.baseline());
      out.add(m);
    }
    return out;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
