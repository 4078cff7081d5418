package io.smsfeedback.samples.servlet;

import static io.smsfeedback.samples.support.SamplePages.esc;
import static io.smsfeedback.samples.support.SamplePages.mask;

import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.samples.support.SamplePages;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.testkit.SmsApiSimulator;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Set;

/**
 * The app: login, "enter the code", home and the demo page, as plain servlets. The only line that
 * is about sms-feedback is {@code SmsFeedback.sendOtp(request, message)} in {@link #sendCode}: it
 * sends the SMS through 8x8 and keeps the umid in the session. The filter itself is registered by
 * the sms-feedback jar's own {@code ServletContainerInitializer}.
 */
final class SampleWebApp implements ServletContainerInitializer {

  /** Session attribute: the user who typed the right password (first factor). */
  static final String PASSWORD_OK = "sample.user";

  /** Session attribute: set once the SMS code was right too (second factor). */
  static final String SIGNED_IN = "sample.signedIn";

  private final SampleSettings settings;

  SampleWebApp(SampleSettings settings) {
    this.settings = settings;
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    add(context, "home", new Home(), "");
    add(context, "login", new Login(), "/login");
    add(context, "otp", new OtpPage(), "/otp");
    add(context, "verify", new Verify(), "/otp/verify");
    add(context, "resend", new Resend(), "/otp/resend");
    add(context, "logout", new Logout(), "/logout");
    add(context, "demo", new Demo(), "/demo");
  }

  private static void add(ServletContext context, String name, HttpServlet servlet, String path) {
    context.addServlet(name, servlet).addMapping(path);
  }

  /**
   * Sends a new code by SMS and keeps 8x8's umid in the session: sms-feedback does the rest.
   *
   * @return the page to go to: the code page, or it with {@code ?error=send} when no SMS went out
   */
  private String sendCode(HttpServletRequest request, String sentPage) {
    String code = OtpCodes.issue(request.getSession());
    try {
      SmsFeedback.sendOtp(
          request,
          SmsMessage.of(settings.phone(), "Your code is " + code).withSource("SMSFeedback"));
      return sentPage;
    } catch (SmsSendException e) {
      return "/otp?error=send"; // the sender logged why, the number masked
    }
  }

  private static String user(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session == null ? null : (String) session.getAttribute(PASSWORD_OK);
  }

  private static boolean signedIn(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(SIGNED_IN) != null;
  }

  private static void redirect(HttpServletRequest req, HttpServletResponse resp, String path)
      throws IOException {
    resp.sendRedirect(req.getContextPath() + path);
  }

  private static String demoLink() {
    return "<p class=\"note\">Demo: the simulated phone and the feedback 8x8 received are on "
        + "<a href=\"demo\" target=\"_blank\">/demo</a>.</p>";
  }

  final class Home extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (!signedIn(req)) {
        redirect(req, resp, user(req) == null ? "/login" : "/otp");
        return;
      }
      Html.page(
          resp,
          "Welcome, " + user(req),
          "<p class=\"ok\" id=\"welcome\">You are signed in with your password and the SMS code.</p>"
              + "<p>sms-feedback reported this code to 8x8 as a <b>success</b>.</p>"
              + "<form method=\"post\" action=\"logout\"><button>Sign out</button></form>"
              + demoLink());
    }
  }

  final class Login extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String error =
          req.getParameter("error") != null
              ? "<p class=\"error\">Wrong username or password.</p>"
              : "";
      Html.page(
          resp,
          "Sign in",
          error
              + "<form method=\"post\" action=\"login\">"
              + "<label>Username <input name=\"username\" autocomplete=\"username\" autofocus></label><br>"
              + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label><br>"
              + "<button id=\"sign-in\">Sign in</button></form>"
              + "<p class=\"note\">Demo user: <b>"
              + esc(settings.user())
              + "</b> / <b>"
              + esc(settings.password())
              + "</b>. Then a code goes by SMS to "
              + esc(mask(settings.phone()))
              + ".</p>");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (!settings.user().equals(req.getParameter("username"))
          || !settings.password().equals(req.getParameter("password"))) {
        redirect(req, resp, "/login?error");
        return;
      }
      HttpSession session = req.getSession();
      req.changeSessionId();
      session.removeAttribute(SIGNED_IN);
      session.setAttribute(PASSWORD_OK, settings.user());
      redirect(req, resp, sendCode(req, "/otp"));
    }
  }

  final class OtpPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (user(req) == null) {
        redirect(req, resp, "/login");
        return;
      }
      String message;
      if ("expired".equals(req.getParameter("error"))) {
        message = "<p class=\"error\">That code is no longer valid. Send a new one.</p>";
      } else if ("send".equals(req.getParameter("error"))) {
        message = "<p class=\"error\" id=\"not-sent\">The SMS could not be sent. Try again.</p>";
      } else if (req.getParameter("error") != null) {
        message = "<p class=\"error\" id=\"wrong-code\">Wrong code. Try again.</p>";
      } else if (req.getParameter("resent") != null) {
        message = "<p class=\"ok\">A new code is on its way.</p>";
      } else {
        message = "";
      }
      Html.page(
          resp,
          "Enter the code",
          message
              + "<p>We sent a 6-digit code by SMS to "
              + esc(mask(settings.phone()))
              + ".</p>"
              + "<form method=\"post\" action=\"otp/verify\">"
              + "<label>Code <input name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" autofocus></label> "
              + "<button id=\"verify\">Verify</button></form>"
              + "<form method=\"post\" action=\"otp/resend\"><button id=\"resend\">Send a new code</button></form>"
              + demoLink());
    }
  }

  /** The verification path: sms-feedback judges its redirect (see sms-feedback.properties). */
  final class Verify extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (user(req) == null) {
        redirect(req, resp, "/login");
        return;
      }
      String typed = req.getParameter("code") == null ? "" : req.getParameter("code");
      switch (OtpCodes.check(req.getSession(), typed)) {
        case RIGHT -> {
          req.changeSessionId();
          req.getSession().setAttribute(SIGNED_IN, Boolean.TRUE);
          redirect(req, resp, "/");
        }
        case WRONG -> redirect(req, resp, "/otp?error");
        case NONE -> redirect(req, resp, "/otp?error=expired");
      }
    }
  }

  final class Resend extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (user(req) == null) {
        redirect(req, resp, "/login");
        return;
      }
      redirect(req, resp, sendCode(req, "/otp?resent"));
    }
  }

  static final class Logout extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      HttpSession session = req.getSession(false);
      if (session != null) {
        session.invalidate();
      }
      redirect(req, resp, "/login");
    }
  }

  /** The simulated phone's inbox and what the simulated 8x8 received. */
  final class Demo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      SmsApiSimulator sim = settings.simulator();
      if (sim == null) {
        Html.page(
            resp,
            "Demo",
            "<p>This app talks to the real 8x8: the inbox is your phone ("
                + esc(mask(settings.phone()))
                + "), and the feedback is in 8x8's reports.</p>"
                + "<p class=\"note\">"
                + esc(settings.abandonNote())
                + "</p>");
        return;
      }
      resp.setHeader("Refresh", "3");
      StringBuilder b = new StringBuilder();
      b.append("<p class=\"note\">Runs on the 8x8 simulator at <a href=\"")
          .append(esc(sim.baseUrl()))
          .append("\">")
          .append(esc(sim.baseUrl()))
          .append("</a>. This page refreshes every 3 seconds. ")
          .append(esc(settings.abandonNote()))
          .append("</p>");
      SamplePages.appendInbox(b, sim, settings.phone());
      SamplePages.appendFeedback(b, sim);
      Html.page(resp, "Demo: phone and 8x8", b.toString());
    }
  }
}
