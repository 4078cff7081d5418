package io.smsfeedback.samples.support;

import io.smsfeedback.testkit.ConversionSummary;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Just enough HTML for the samples' pages, and the demo page's view of the 8x8 simulator. */
public final class SamplePages {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

  private SamplePages() {}

  /** A whole page: {@code title} (escaped) as its heading, {@code body} as is. */
  public static String page(String app, String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · "
        + esc(app)
        + "</title><style>"
        + "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"
        + "input{font-size:1rem;padding:.3rem;margin:.2rem 0}button{font-size:1rem;padding:.3rem .8rem}"
        + ".note{color:#555}.error{color:#b00020}.ok{color:#0a7d28}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.9rem}"
        + "</style></head><body><h1>"
        + esc(title)
        + "</h1>"
        + body
        + "</body></html>";
  }

  /** HTML-escapes {@code String.valueOf(value)} for text and attribute values. */
  public static String esc(Object value) {
    String s = String.valueOf(value);
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code +6512345678} as {@code +65••••5678}. */
  public static String mask(String phone) {
    if (phone.length() <= 7) {
      return phone;
    }
    return phone.substring(0, 3)
        + "•".repeat(phone.length() - 7)
        + phone.substring(phone.length() - 4);
  }

  /** The phone's inbox on the simulator, newest first; the latest code has id {@code latest-code}. */
  public static void appendInbox(StringBuilder b, SmsApiSimulator sim, String phone) {
    List<SentMessage> inbox = new ArrayList<>(sim.sentMessagesTo(phone));
    Collections.reverse(inbox);
    b.append("<h2>Phone ").append(esc(phone)).append(": inbox</h2>");
    if (inbox.isEmpty()) {
      b.append("<p>No SMS yet. <a href=\"login\">Sign in</a> to get one.</p>");
      return;
    }
    b.append("<p>Latest code: <b id=\"latest-code\">")
        .append(esc(inbox.get(0).code().orElse("?")))
        .append("</b></p><table><tr><th>sent at</th><th>text</th><th>umid</th></tr>");
    for (SentMessage m : inbox) {
      row(b, TIME.format(m.sentAt()), m.text(), m.umid());
    }
    b.append("</table>");
  }

  /**
   * The feedback the simulator received, newest first (table id {@code feedback}), under its
   * conversion summary (id {@code conversion}).
   */
  public static void appendFeedback(StringBuilder b, SmsApiSimulator sim) {
    ConversionSummary c = sim.conversion();
    b.append("<h2>Feedback 8x8 received</h2><p id=\"conversion\">")
        .append(c.successes())
        .append(" success, ")
        .append(c.failures())
        .append(" failure: conversion rate ")
        .append(String.format(Locale.ROOT, "%.0f%%", c.rate() * 100))
        .append("</p>");
    List<ReceivedFeedback> received = new ArrayList<>(sim.receivedFeedback());
    Collections.reverse(received);
    if (received.isEmpty()) {
      b.append("<p>None yet.</p>");
      return;
    }
    b.append(
        "<table id=\"feedback\"><tr><th>received at</th><th>umid</th><th>outcome</th>"
            + "<th>user acted at</th></tr>");
    for (ReceivedFeedback f : received) {
      row(
          b,
          TIME.format(f.receivedAt()),
          f.umid(),
          f.outcome(),
          f.actedAt().map(TIME::format).orElse(""));
    }
    b.append("</table>");
  }

  private static void row(StringBuilder b, Object... cells) {
    b.append("<tr>");
    for (Object cell : cells) {
      b.append("<td>").append(esc(cell)).append("</td>");
    }
    b.append("</tr>");
  }
}
