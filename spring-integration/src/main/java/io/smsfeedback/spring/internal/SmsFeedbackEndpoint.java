package io.smsfeedback.spring.internal;

import io.smsfeedback.insight.AlarmEpisode;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.ConversionSeries;
import io.smsfeedback.insight.ConversionSnapshot;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.CountryStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.insight.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code /actuator/smsfeedback}: the conversion statistics per window and
 * country, and the countries in alarm, as JSON; {@code /actuator/smsfeedback/page} (the last hour)
 * and {@code /actuator/smsfeedback/page/{5m|1h|24h}}: the same as a picture ({@link InsightPage}). Exposed like any endpoint ({@code
 * management.endpoints.web.exposure.include}), behind the app's own security.
 */
@Endpoint(id = "smsfeedback")
public final class SmsFeedbackEndpoint {

  /** The picture's media type. */
  static final String HTML = "text/html;charset=UTF-8";

  /** The picture's path segment. */
  static final String PAGE = "page";

  private final ConversionStats stats;
  private final PumpingAlarm alarm;

  public SmsFeedbackEndpoint(ConversionStats stats, PumpingAlarm alarm) {
    this.stats = stats;
    this.alarm = alarm;
  }

  @ReadOperation
  public Map<String, Object> insight() {
    ConversionSnapshot snapshot = stats.snapshot();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", snapshot.at().toString());
    List<Map<String, Object>> windows = new ArrayList<>();
    for (WindowStats w : snapshot.windows()) {
      Map<String, Object> window = new LinkedHashMap<>();
      window.put("window", InsightMeters.tag(w.length()));
      window.put("total", row(w.total()));
      List<Map<String, Object>> countries = new ArrayList<>();
      for (CountryStats c : w.countries()) {
        countries.add(row(c));
      }
      window.put("countries", countries);
      windows.add(window);
    }
    body.put("windows", windows);
    body.put("destinationsNotNoted", snapshot.destinationsNotNoted());
    body.put("alarms", ConversionInsight.alarms(alarm.active()));
    return body;
  }

  /**
   * {@code GET /actuator/smsfeedback/page}: the conversion picture of the last hour, HTML with
   * inline SVG ({@link InsightPage}); any other name is not found.
   */
  @ReadOperation(produces = HTML)
  public @Nullable String page(@Selector String name) {
    return PAGE.equals(name) ? render(ConversionStats.WINDOWS.get(1), PAGE + "/") : null;
  }

  /**
   * {@code GET /actuator/smsfeedback/page/{5m|1h|24h}}: the picture of that window; any other
   * window is not found.
   */
  @ReadOperation(produces = HTML)
  public @Nullable String pageOf(@Selector String name, @Selector String window) {
    if (!PAGE.equals(name)) {
      return null;
    }
    for (Duration w : ConversionStats.WINDOWS) {
      if (InsightMeters.tag(w).equals(window)) {
        return render(w, "");
      }
    }
    return null;
  }

  private String render(Duration window, String links) {
    ConversionSeries series = stats.series(window);
    List<AlarmEvent> active = alarm.active();
    List<AlarmEpisode> episodes = alarm.episodes();
    return InsightPage.render(series, episodes, active, stats.snapshot().at(), links);
  }

  private static Map<String, Object> row(CountryStats c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("country", c.callingCode());
    m.put("sent", c.sent());
    m.put("successes", c.successes());
    m.put("superseded", c.superseded());
    m.put("maxAttempts", c.maxAttempts());
    m.put("abandoned", c.abandoned());
    double rate = c.conversionRate();
    m.put("conversionRate", Double.isNaN(rate) ? null : rate);
    m.put("p50", millis(c.p50()));
    m.put("p95", millis(c.p95()));
    return m;
  }

  private static @Nullable Long millis(@Nullable Duration d) {
    return d == null ? null : d.toMillis();
  }
}
