package io.smsfeedback.spring.internal;

import io.smsfeedback.insight.AlarmEpisode;
import io.smsfeedback.insight.AlarmEvent;
import io.smsfeedback.insight.ConversionSeries;
import io.smsfeedback.insight.CountryStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The conversion picture: one self-contained HTML page with an inline SVG chart per row (total,
 * then the countries with most sends): sends (grey bars) and successes (green bars) per bucket,
 * conversion of the decided outcomes (blue line, right axis 0-100%), alarm episodes as red bands
 * labelled with the country. No script, no style sheet, no style attribute, no external resource:
 * it renders under {@code Content-Security-Policy: default-src 'none'}, which it also declares in a
 * {@code <meta>} element. Every text from the statistics is escaped.
 */
public final class InsightPage {

  /** The policy the page declares; it needs nothing more. */
  public static final String CSP = "default-src 'none'; base-uri 'none'; form-action 'none'";

  /** Rows drawn at most: total and the 7 countries with most sends in the window. */
  static final int MAX_CHARTS = 8;

  private static final int WIDTH = 720;
  private static final int HEIGHT = 150;
  private static final int LEFT = 48;
  private static final int RIGHT = 48;
  private static final int TOP = 10;
  private static final int BOTTOM = 24;
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private InsightPage() {}

  /**
   * The page for {@code series}, marking {@code episodes}; {@code links} prefixes the relative
   * links to the other windows ({@code "page/"} from {@code .../smsfeedback/page}, empty from
   * {@code .../page/1h}).
   */
  public static String render(
      ConversionSeries series,
      List<AlarmEpisode> episodes,
      List<AlarmEvent> active,
      Instant now,
      String links) {
    String window = InsightMeters.tag(series.window());
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(CSP)
        .append("\"><title>sms-feedback: OTP conversion, last ")
        .append(window)
        .append("</title></head>\n<body>\n<h1>OTP conversion per country, last ")
        .append(window)
        .append("</h1>\n<p>At ")
        .append(escape(now.toString()))
        .append(" (UTC). Window: ");
    for (String w : List.of("5m", "1h", "24h")) {
      if (w.equals(window)) {
        h.append("<strong>").append(w).append("</strong> ");
      } else {
        h.append("<a href=\"").append(escape(links)).append(w).append("\">").append(w).append("</a> ");
      }
    }
    h.append("</p>\n");
    if (active.isEmpty()) {
      h.append("<p id=\"alarms\">No pumping alarm.</p>\n");
    } else {
      h.append("<p id=\"alarms\"><strong>Pumping alarm:</strong> ");
      for (AlarmEvent e : active) {
        h.append("<span class=\"alarm\">+")
            .append(escape(e.callingCode()))
            .append(" (")
            .append(escape(e.reason().name()))
            .append(" since ")
            .append(HHMM.format(e.at()))
            .append(")</span> ");
      }
      h.append("</p>\n");
    }
    h.append("<p>Grey bars: OTPs sent. Green bars: verified. Blue line: conversion of the decided")
        .append(" outcomes (right axis). Red band: pumping alarm.</p>\n");
    List<ConversionSeries.Row> rows = series.rows();
    for (int i = 0; i < rows.size() && i < MAX_CHARTS; i++) {
      chart(h, series, rows.get(i), episodes, now);
    }
    if (rows.size() > MAX_CHARTS) {
      h.append("<p>").append(rows.size() - MAX_CHARTS).append(" more rows in the JSON at ")
          .append("/actuator/smsfeedback.</p>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static void chart(
      StringBuilder h,
      ConversionSeries series,
      ConversionSeries.Row row,
      List<AlarmEpisode> episodes,
      Instant now) {
    String code = row.callingCode();
    boolean country = Character.isDigit(code.isEmpty() ? 'x' : code.charAt(0));
    String label = country ? "+" + code : code;
    List<CountryStats> buckets = row.buckets();
    long sent = 0;
    long successes = 0;
    long decided = 0;
    long max = 1;
    for (CountryStats b : buckets) {
      sent += b.sent();
      successes += b.successes();
      decided += b.decided();
      max = Math.max(max, Math.max(b.sent(), b.successes()));
    }
    h.append("<h2>")
        .append(escape(label))
        .append("</h2>\n<p>")
        .append(sent)
        .append(" sent, ")
        .append(successes)
        .append(" verified, ")
        .append(decided - successes)
        .append(" failed")
        .append(decided == 0 ? "" : String.format(Locale.ROOT, ", conversion %.0f%%", 100.0 * successes / decided))
        .append("</p>\n");
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    int n = buckets.size();
    double slot = (double) plotW / n;
    Instant start = series.starts().get(0);
    Instant end = series.starts().get(n - 1).plus(series.bucket());
    double span = Duration.between(start, end).toMillis();
    h.append("<svg width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" data-country=\"")
        .append(escape(code))
        .append("\"><title>")
        .append(escape(label))
        .append(": sends, successes and conversion</title>\n");
    h.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(plotW).append("\" height=\"").append(plotH)
        .append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n");
    StringBuilder labels = new StringBuilder();
    for (AlarmEpisode e : episodes) {
      if (!e.callingCode().equals(code)) {
        continue;
      }
      Instant from = e.raisedAt().isBefore(start) ? start : e.raisedAt();
      Instant to = e.clearedAt() == null ? now : e.clearedAt();
      if (to.isAfter(end)) {
        to = end;
      }
      if (!to.isAfter(start) || from.isAfter(end)) {
        continue;
      }
      double x0 = LEFT + plotW * Duration.between(start, from).toMillis() / span;
      double x1 = LEFT + plotW * Duration.between(start, to).toMillis() / span;
      double w = Math.max(3, x1 - x0);
      h.append("<rect class=\"alarm\" data-country=\"").append(escape(code))
          .append("\" x=\"").append(fmt(x0)).append("\" y=\"").append(TOP)
          .append("\" width=\"").append(fmt(w)).append("\" height=\"").append(plotH)
          .append("\" fill=\"#e53935\" fill-opacity=\"0.18\" stroke=\"#e53935\"/>\n");
      // drawn after the bars, on a white ground, so that no bar hides it
      labels.append("<text x=\"").append(fmt(x0 + 4)).append("\" y=\"").append(TOP + 14)
          .append("\" font-size=\"12\" font-weight=\"bold\" fill=\"#b71c1c\" stroke=\"#fff\"")
          .append(" stroke-width=\"3\" paint-order=\"stroke\">alarm ").append(escape(label))
          .append(e.active() ? "" : " (cleared)").append("</text>\n");
    }
    double bar = Math.max(1, slot / 2 - 1);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < n; i++) {
      CountryStats b = buckets.get(i);
      double x = LEFT + i * slot + 1;
      bar(h, x, b.sent(), max, plotH, bar, "#9e9e9e", "sent");
      bar(h, x + bar, b.successes(), max, plotH, bar, "#43a047", "verified");
      if (b.decided() > 0) {
        double y = TOP + plotH * (1 - (double) b.successes() / b.decided());
        line.append(line.length() == 0 ? "" : " ").append(fmt(LEFT + (i + 0.5) * slot)).append(',')
            .append(fmt(y));
      }
    }
    if (line.length() > 0) {
      h.append("<polyline class=\"conversion\" points=\"").append(line)
          .append("\" fill=\"none\" stroke=\"#1e88e5\" stroke-width=\"2\"/>\n");
    }
    h.append(labels);
    // axes: sends on the left, conversion on the right, time below
    h.append(axisText(LEFT - 4, TOP + 10, "end", Long.toString(max)))
        .append(axisText(LEFT - 4, TOP + plotH, "end", "0"))
        .append(axisText(WIDTH - RIGHT + 4, TOP + 10, "start", "100%"))
        .append(axisText(WIDTH - RIGHT + 4, TOP + plotH, "start", "0%"));
    for (int i = 0; i <= 2; i++) {
      Instant t = start.plusMillis((long) (span * i / 2));
      String anchor = i == 0 ? "start" : i == 1 ? "middle" : "end";
      h.append(axisText(LEFT + plotW * i / 2.0, HEIGHT - 6, anchor, HHMM.format(t)));
    }
    h.append("</svg>\n");
  }

  private static void bar(
      StringBuilder h, double x, long value, long max, int plotH, double width, String color,
      String what) {
    if (value == 0) {
      return;
    }
    double height = plotH * (double) value / max;
    h.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(TOP + plotH - height))
        .append("\" width=\"").append(fmt(width)).append("\" height=\"").append(fmt(height))
        .append("\" fill=\"").append(color).append("\"><title>").append(value).append(' ')
        .append(what).append("</title></rect>\n");
  }

  private static String axisText(double x, double y, String anchor, String text) {
    return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"11\" fill=\"#555\""
        + " text-anchor=\"" + anchor + "\">" + escape(text) + "</text>\n";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** {@code s} safe in HTML text and attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
