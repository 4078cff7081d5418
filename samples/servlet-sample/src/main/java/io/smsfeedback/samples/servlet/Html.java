package io.smsfeedback.samples.servlet;

import io.smsfeedback.samples.support.SamplePages;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes one of the sample's pages. */
final class Html {

  private Html() {}

  static void page(HttpServletResponse response, String title, String body) throws IOException {
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(SamplePages.page("sms-feedback servlet sample", title, body));
  }
}
