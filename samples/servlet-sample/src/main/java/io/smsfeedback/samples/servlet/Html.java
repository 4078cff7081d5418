package io.smsfeedback.samples.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Just enough HTML for the sample's pages. */
final class Html {

  private Html() {}

  static void page(HttpServletResponse response, String title, String body) throws IOException {
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response
        .getWriter()
        .write(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>"
                + esc(title)
                + " · sms-feedback servlet sample</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}"
                + "input{font-size:1rem;padding:.3rem;margin:.2rem 0}button{font-size:1rem;padding:.3rem .8rem}"
                + ".note{color:#555}.error{color:#b00020}.ok{color:#0a7d28}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.9rem}"
                + "</style></head><body><h1>"
                + esc(title)
                + "</h1>"
                + body
                + "</body></html>");
  }

  static String esc(Object value) {
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

  /** {@code +6512345678} as {@code +65•••••5678}. */
  static String mask(String phone) {
    if (phone.length() <= 7) {
      return phone;
    }
    return phone.substring(0, 3) + "•".repeat(phone.length() - 7) + phone.substring(phone.length() - 4);
  }
}
