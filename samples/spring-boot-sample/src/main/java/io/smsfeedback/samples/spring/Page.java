package io.smsfeedback.samples.spring;

import static io.smsfeedback.samples.support.SamplePages.esc;

import io.smsfeedback.samples.support.SamplePages;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

/** The sample's pages: the shared HTML, plus Spring Security's CSRF field. */
final class Page {

  private Page() {}

  static String of(String title, String body) {
    return SamplePages.page("sms-feedback Spring Boot sample", title, body);
  }

  /** A hidden input with the request's CSRF token, for every form that posts. */
  static String csrf(HttpServletRequest request) {
    CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    return token == null
        ? ""
        : "<input type=\"hidden\" name=\""
            + esc(token.getParameterName())
            + "\" value=\""
            + esc(token.getToken())
            + "\">";
  }
}
