package io.smsfeedback.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.insight.AlarmEpisode;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.ConversionSeries;
import io.smsfeedback.insight.CountryStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsightPageTest {

  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
  private static final Duration BUCKET = Duration.ofMinutes(5);
  private static final Instant NOW = START.plus(Duration.ofHours(1));

  private static ConversionSeries series(String... codes) {
    List<Instant> starts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      starts.add(START.plus(BUCKET.multipliedBy(i)));
    }
    List<ConversionSeries.Row> rows = new ArrayList<>();
    for (String code : codes) {
      List<CountryStats> buckets = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        buckets.add(new CountryStats(code, 10, i < 6 ? 7 : 0, 0, 0, i < 6 ? 3 : 10, null, null));
      }
      rows.add(new ConversionSeries.Row(code, buckets));
    }
    return new ConversionSeries(Duration.ofHours(1), BUCKET, starts, rows);
  }

  @Test
  void drawsEachRow_barsLineAndAxes_withNothingACspWouldBlock() {
    String html = InsightPage.render(series("total", "65"), List.of(), List.of(), NOW, "page/");
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + InsightPage.CSP + "\">")
        .contains("data-country=\"total\"", "data-country=\"65\"", "<h2>+65</h2>")
        .contains("120 sent, 42 verified, 78 failed, conversion 35%")
        .contains("<polyline class=\"conversion\"")
        .contains("<a href=\"page/5m\">5m</a>", "<strong>1h</strong>", "<a href=\"page/24h\">24h</a>")
        .contains(">09:00<", ">09:30<", ">10:00<")
        .contains("No pumping alarm.")
        .doesNotContain("<script", "style=", "<style", "http://", "https://www")
        .doesNotContain("class=\"alarm\"");
  }

  @Test
  void marksAnAlarmAsABandOverItsTime_onItsCountryOnly() {
    AlarmEpisode episode =
        new AlarmEpisode("65", AlarmEvent.Reason.CONVERSION_DROP, START.plus(Duration.ofMinutes(30)), null);
    AlarmEvent active =
        new AlarmEvent("65", AlarmEvent.Reason.CONVERSION_DROP, episode.raisedAt(), 50, 50, 0, 0.07, 0.7);
    String html = InsightPage.render(series("total", "65"), List.of(episode), List.of(active), NOW, "");
    // the plot is 624 px wide from x=48: the second half of the hour
    assertThat(html)
        .contains("<rect class=\"alarm\" data-country=\"65\" x=\"360.0\" y=\"10\" width=\"312.0\"")
        .contains("alarm +65</text>")
        .contains("<strong>Pumping alarm:</strong> <span class=\"alarm\">+65 (CONVERSION_DROP since 09:30)");
    assertThat(html.indexOf("class=\"alarm\" data-country")).isGreaterThan(html.indexOf("<h2>+65</h2>"));
  }

  @Test
  void aClearedAlarm_endsWhereItCleared_andSaysSo() {
    AlarmEpisode episode =
        new AlarmEpisode(
            "65", AlarmEvent.Reason.SEND_SURGE, START.minus(Duration.ofMinutes(10)), START.plus(Duration.ofMinutes(15)));
    String html = InsightPage.render(series("65"), List.of(episode), List.of(), NOW, "");
    assertThat(html)
        .contains("<rect class=\"alarm\" data-country=\"65\" x=\"48.0\" y=\"10\" width=\"156.0\"")
        .contains("alarm +65 (cleared)");
  }

  @Test
  void escapesWhatItPrints() {
    assertThat(InsightPage.escape("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    String html = InsightPage.render(series("<b>"), List.of(), List.of(), NOW, "\"><script>");
    assertThat(html).doesNotContain("<b>", "<script>").contains("&lt;b&gt;");
  }
}
