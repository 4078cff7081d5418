package io.smsfeedback.samples.spring;

import static io.smsfeedback.samples.support.SamplePages.esc;
import static io.smsfeedback.samples.support.SamplePages.mask;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.TrackerStats;
import io.smsfeedback.samples.support.SamplePages;
import io.smsfeedback.testkit.SmsApiSimulator;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The pages: sign in, enter the code, home, and the demo page (phone inbox and 8x8's view). */
@RestController
class Pages {

  private final DemoUsers users;
  private final Environment env;
  private final ObjectProvider<SmsApiSimulator> simulator;
  private final ObjectProvider<ConversionTracker> tracker;
  private final ObjectProvider<FeedbackReporter> reporter;

  Pages(
      DemoUsers users,
      Environment env,
      ObjectProvider<SmsApiSimulator> simulator,
      ObjectProvider<ConversionTracker> tracker,
      ObjectProvider<FeedbackReporter> reporter) {
    this.users = users;
    this.env = env;
    this.simulator = simulator;
    this.tracker = tracker;
    this.reporter = reporter;
  }

  static boolean hasFactor(Authentication auth, String factor) {
    for (GrantedAuthority a : auth.getAuthorities()) {
      if (factor.equals(a.getAuthority())) {
        return true;
      }
    }
    return false;
  }

  @GetMapping("/login")
  ResponseEntity<String> login(HttpServletRequest request) {
    String message = "";
    if (request.getParameter("error") != null) {
      message = "<p class=\"error\">Wrong username or password.</p>";
    } else if (request.getParameter("logout") != null) {
      message = "<p class=\"ok\">You are signed out.</p>";
    }
    return html(
        Page.of(
            "Sign in",
            message
                + "<form method=\"post\" action=\"login\">"
                + Page.csrf(request)
                + "<label>Username <input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus></label><br>"
                + "<label>Password <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"></label><br>"
                + "<button id=\"sign-in\">Sign in</button></form>"
                + "<p class=\"note\">Demo user: <b>"
                + DemoUsers.USERNAME
                + "</b> / <b>"
                + DemoUsers.PASSWORD
                + "</b>. A code then goes by SMS to "
                + esc(mask(users.alicePhone()))
                + ".</p>"
                + demoLink()));
  }

  @GetMapping("/otp")
  ResponseEntity<String> otp(HttpServletRequest request, Authentication auth) {
    if (auth == null || !hasFactor(auth, FactorGrantedAuthority.PASSWORD_AUTHORITY)) {
      return redirect(request, "/login");
    }
    if (hasFactor(auth, FactorGrantedAuthority.OTT_AUTHORITY)) {
      return redirect(request, "/");
    }
    String phone = users.phoneOf(auth.getName());
    String message = "";
    if (request.getParameter("error") != null) {
      message = "<p class=\"error\" id=\"wrong-code\">Wrong or expired code. Try again, or send a new one.</p>";
    } else if (request.getParameter("sms-error") != null) {
      message = "<p class=\"error\">The SMS could not be sent. Try again.</p>";
    }
    return html(
        Page.of(
            "Enter the code",
            message
                + "<p>We sent a 6-digit code by SMS to "
                + esc(phone == null ? "your phone" : mask(phone))
                + ".</p>"
                + "<form method=\"post\" action=\"login/ott\">"
                + Page.csrf(request)
                + "<label>Code <input id=\"code\" name=\"token\" inputmode=\"numeric\" autocomplete=\"one-time-code\" autofocus></label> "
                + "<button id=\"verify\">Verify</button></form>"
                + "<form method=\"post\" action=\"ott/generate\">"
                + Page.csrf(request)
                + "<button id=\"resend\">Send a new code</button></form>"
                + demoLink()));
  }

  @GetMapping("/")
  ResponseEntity<String> home(HttpServletRequest request, Authentication auth) {
    String factors =
        auth.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .filter(a -> a.startsWith("FACTOR_"))
            .sorted()
            .collect(Collectors.joining(", "));
    return html(
        Page.of(
            "Welcome, " + auth.getName(),
            "<p class=\"ok\" id=\"welcome\">You are signed in with your password and the SMS code ("
                + esc(factors)
                + ").</p>"
                + "<p>The starter reports this code to 8x8 as a <b>success</b>.</p>"
                + "<form method=\"post\" action=\"logout\">"
                + Page.csrf(request)
                + "<button id=\"sign-out\">Sign out</button></form>"
                + demoLink()));
  }

  @GetMapping("/demo")
  ResponseEntity<String> demo() {
    StringBuilder b = new StringBuilder();
    String abandonAfter = env.getProperty("sms.feedback.abandon-after", "10m");
    SmsApiSimulator sim = simulator.getIfAvailable();
    if (sim == null) {
      b.append("<p>This app talks to the <b>real 8x8</b>: the inbox is your phone (")
          .append(esc(mask(users.alicePhone())))
          .append("), and the feedback is in 8x8's reports.</p>");
    } else {
      b.append("<p class=\"note\">Running on the 8x8 simulator at <a href=\"")
          .append(esc(sim.baseUrl()))
          .append("\">")
          .append(esc(sim.baseUrl()))
          .append("</a> (no SMS_FEEDBACK_API_KEY set). This page refreshes every 3 seconds.</p>");
      SamplePages.appendInbox(b, sim, users.alicePhone());
      SamplePages.appendFeedback(b, sim);
    }
    b.append("<p class=\"note\" id=\"abandon-note\">An OTP not entered within <b>")
        .append(esc(abandonAfter))
        .append("</b> of its send is reported as a <b>failure</b> (sms.feedback.abandon-after: ")
        .append("shortened in this sample so you can watch it; the default is 10m). ")
        .append("A new code reports the previous one as a failure at once; a wrong code is not a failure.</p>");
    appendStats(b);
    b.append("<p><a href=\"login\">Sign in</a> · <a href=\"actuator/health/smsFeedback\">health</a>")
        .append(" · <a id=\"insight\" href=\"actuator/smsfeedback/page/5m\">conversion per country")
        .append("</a> (signed in)</p>");
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Refresh", sim == null ? "10" : "3")
        .body(Page.of("Demo: the phone and 8x8", b.toString()));
  }

  private void appendStats(StringBuilder b) {
    ConversionTracker t = tracker.getIfAvailable();
    FeedbackReporter r = reporter.getIfAvailable();
    if (t == null || r == null) {
      return;
    }
    TrackerStats ts = t.stats();
    ReporterStats rs = r.stats();
    b.append("<h2>sms-feedback in this app</h2><p class=\"note\">Tracker: ")
        .append(ts.pending())
        .append(" pending, ")
        .append(ts.successes())
        .append(" success, ")
        .append(ts.failuresSuperseded())
        .append(" superseded, ")
        .append(ts.failuresAbandoned())
        .append(" abandoned, ")
        .append(ts.wrongCodes())
        .append(" wrong codes. Reporter: ")
        .append(rs.delivered())
        .append(" delivered, ")
        .append(rs.queued() + rs.inFlight())
        .append(" on the way, ")
        .append(rs.rejected() + rs.expired() + rs.droppedQueueFull() + rs.droppedShutdown())
        .append(" lost.</p>");
  }

  private static String demoLink() {
    return "<p class=\"note\">Demo: the phone's inbox and the feedback 8x8 received are on "
        + "<a href=\"demo\" target=\"_blank\">/demo</a>.</p>";
  }

  private static ResponseEntity<String> html(String body) {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(body);
  }

  private static ResponseEntity<String> redirect(HttpServletRequest request, String path) {
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(URI.create(request.getContextPath() + path))
        .build();
  }
}
