package io.smsfeedback.servlet.it;

import io.smsfeedback.SentSms;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedback;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A small OTP web app, as apps write it: {@code /send} sends a code by SMS and keeps the umid in
 * the session; {@code /check} compares the code. It knows nothing of the filter beyond the session
 * attribute (and, in some variants, the helpers).
 */
final class TestApp {

  static final String ATTRIBUTE = FilterSettings.DEFAULT_SESSION_ATTRIBUTE;
  static final String CODE = "app.code";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestApp() {}

  /** Sends an OTP through 8x8 (or a fake) and returns the umid. */
  interface OtpSender {
    String send(String destination, String text) throws IOException, InterruptedException;
  }

  /** Deploys the app's servlets on {@code app}. */
  static WebApp servlets(WebApp app, OtpSender sender) {
    return app.servlet("send", new Send(sender, true, false), "/send")
        .servlet("sendString", new Send(sender, false, false), "/send-string")
        .servlet("otpSend", new Send(sender, false, true), "/otp/send")
        .servlet("sendOtp", new SendOtp(), "/send-otp")
        .servlet("otpVerify", new Check(true, true), "/otp/verify")
        .servlet("check", new Check(false), "/check")
        .servlet("checkRedirect", new Check(true), "/check-redirect")
        .servlet("asyncCheck", new AsyncCheck(), "/async-check")
        .servlet("garbage", new Garbage(), "/garbage")
        .servlet("hello", new Hello(), "/hello");
  }

  /**
   * POST /send (via {@code SmsFeedback.remember}), /send-string (a plain String attribute) and
   * /otp/send (a String attribute, answered with a redirect to {@code /otp}, as a resend button
   * does; {@code marker=verified} also sets the explicit marker).
   */
  static final class Send extends HttpServlet {
    private final transient OtpSender sender;
    private final boolean remember;
    private final boolean redirect;

    Send(OtpSender sender, boolean remember, boolean redirect) {
      this.sender = sender;
      this.remember = remember;
      this.redirect = redirect;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String code = String.format("%06d", RANDOM.nextInt(1_000_000));
      String umid;
      try {
        umid = sender.send("+6512345678", "Your code is " + code);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      HttpSession session = req.getSession();
      session.setAttribute(CODE, code);
      if (remember) {
        SmsFeedback.remember(session, umid);
      } else {
        session.setAttribute(ATTRIBUTE, umid);
      }
      if ("verified".equals(req.getParameter("marker"))) {
        SmsFeedback.verified(req);
      }
      if (redirect) {
        resp.sendRedirect("/otp");
        return;
      }
      resp.setContentType("text/plain");
      resp.getWriter().print("sent");
    }
  }

  /**
   * POST /send-otp: sends the code with the library's sender ({@code SmsFeedback.sendOtp}), which
   * also remembers the umid; 200 "sent {umid}", or 502 (not sent) / 504 (may have been sent) with
   * the error's type.
   */
  static final class SendOtp extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String code = String.format("%06d", RANDOM.nextInt(1_000_000));
      resp.setContentType("text/plain");
      try {
        SentSms sent = SmsFeedback.sendOtp(req, "+6512345678", "Your code is " + code);
        req.getSession().setAttribute(CODE, code);
        resp.getWriter().print("sent " + sent.umid());
      } catch (SmsSendException e) {
        resp.setStatus(e.mayHaveBeenSent() ? 504 : 502);
        resp.getWriter().print(e.getClass().getSimpleName());
      }
    }
  }

  /**
   * POST /check?code=...: 200 "verified" or 401 "wrong code"; /check-redirect answers 302 to {@code
   * /home} or {@code /otp?error}. {@code rotate=invalidate|changeId} replaces the session on
   * success (session fixation protection); {@code bridge=verified|rejected} calls the bridge hook;
   * {@code marker=verified|rejected} sets the explicit
   * marker. /otp/verify is guarded as a framework guards a handler: {@code csrf=forged} is refused
   * with 403 and a POST without {@code code} with 400, before the code is looked at.
   */
  static final class Check extends HttpServlet {
    private final boolean redirect;
    private final boolean guarded;

    Check(boolean redirect) {
      this(redirect, false);
    }

    Check(boolean redirect, boolean guarded) {
      this.redirect = redirect;
      this.guarded = guarded;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (guarded && "forged".equals(req.getParameter("csrf"))) {
        resp.sendError(403);
        return;
      }
      if (guarded && req.getParameter("code") == null) {
        resp.sendError(400);
        return;
      }
      if ("verified".equals(req.getParameter("marker"))) {
        SmsFeedback.verified(req);
      } else if ("rejected".equals(req.getParameter("marker"))) {
        SmsFeedback.rejected(req);
      }
      // What a framework bridge does when its authentication event fires on this thread.
      boolean bound = false;
      if ("verified".equals(req.getParameter("bridge"))) {
        bound = SmsFeedback.currentRequestVerified();
      } else if ("rejected".equals(req.getParameter("bridge"))) {
        bound = SmsFeedback.currentRequestRejected();
      }
      resp.setHeader("X-Bridge-Bound", String.valueOf(bound));
      boolean ok = matches(req);
      if (ok) {
        if ("invalidate".equals(req.getParameter("rotate"))) {
          req.getSession().invalidate();
          req.getSession(true);
        } else if ("changeId".equals(req.getParameter("rotate"))) {
          req.changeSessionId();
        }
      }
      if (redirect) {
        resp.sendRedirect(ok ? "/home" : "/otp?error");
      } else {
        resp.setStatus(ok ? 200 : 401);
        resp.setContentType("text/plain");
        resp.getWriter().print(ok ? "verified" : "wrong code");
      }
    }
  }

  static boolean matches(HttpServletRequest req) {
    HttpSession session = req.getSession(false);
    Object expected = session == null ? null : session.getAttribute(CODE);
    return expected != null && Objects.equals(expected, req.getParameter("code"));
  }

  /** POST /async-check?code=...: like /check, answered from another thread. */
  static final class AsyncCheck extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
      boolean ok = matches(req);
      AsyncContext async = req.startAsync();
      async.start(
          () -> {
            try {
              HttpServletResponse r = (HttpServletResponse) async.getResponse();
              r.setStatus(ok ? 200 : 401);
              r.setContentType("text/plain");
              r.getWriter().print(ok ? "verified" : "wrong code");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            } finally {
              async.complete();
            }
          });
    }
  }

  /** POST /garbage?kind=int|text|oversized: stores a value the filter cannot use. */
  static final class Garbage extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object value =
          switch (String.valueOf(req.getParameter("kind"))) {
            case "int" -> 42;
            case "oversized" -> "9".repeat(100_000);
            default -> "not-a-umid";
          };
      req.getSession().setAttribute(ATTRIBUTE, value);
      resp.setContentType("text/plain");
      resp.getWriter().print("stored");
    }
  }

  /** GET or POST /hello: 200 "hello". */
  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().print("hello");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      doGet(req, resp);
    }
  }
}
