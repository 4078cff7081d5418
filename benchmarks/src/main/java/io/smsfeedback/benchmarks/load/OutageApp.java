package io.smsfeedback.benchmarks.load;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.ReporterStats;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedback;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.testkit.SmsApiSimulator;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * A minimal OTP web app on embedded Jetty 12 (ee10), standing in for the servlet sample: {@code
 * POST /otp/send} keeps a new umid in the session (the SMS itself is not sent: the send path is
 * the same in both variants and not what is measured), {@code POST /otp/verify} accepts the code
 * and answers 200.
 *
 * <ul>
 *   <li>{@link Mode#FILTER}: our {@link SmsFeedbackFilter} reports the success (verification path
 *       {@code /otp/verify}, 2xx = success) through a tracker and reporter to the simulator.
 *   <li>{@link Mode#NAIVE}: no filter; the verify servlet itself POSTs the feedback to the
 *       simulator with a synchronous JDK {@code HttpClient.send} before answering, with the same
 *       limits as the reporter's defaults (connect 2 s, response 5 s).
 * </ul>
 */
final class OutageApp implements AutoCloseable {

  enum Mode {
    FILTER,
    NAIVE
  }

  static final String UMID = "umid";

  private final Server server;
  private final ServerConnector connector;
  private final @Nullable FeedbackReporter reporter;
  private final @Nullable ConversionTracker tracker;

  private OutageApp(
      Server server,
      ServerConnector connector,
      @Nullable FeedbackReporter reporter,
      @Nullable ConversionTracker tracker) {
    this.server = server;
    this.connector = connector;
    this.reporter = reporter;
    this.tracker = tracker;
  }

  static OutageApp start(
      Mode mode, SmsApiSimulator sim, Duration responseTimeout, Duration shutdownTimeout)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    FeedbackReporter reporter = null;
    ConversionTracker tracker = null;
    if (mode == Mode.FILTER) {
      FeedbackSettings settings =
          FeedbackSettings.builder()
              .apiKey(sim.apiKey())
              .subAccountId(Fixtures.SUB_ACCOUNT)
              .baseUrl(sim.baseUri())
              .responseTimeout(responseTimeout)
              .shutdownTimeout(shutdownTimeout)
              .build();
      reporter = FeedbackReporter.create(settings);
      tracker = ConversionTracker.create(settings, reporter);
      SmsFeedbackFilter filter =
          new SmsFeedbackFilter(
              tracker,
              FilterSettings.builder()
                  .subAccountId(Fixtures.SUB_ACCOUNT)
                  .verificationPaths("/otp/verify")
                  .build(),
              Clock.systemUTC());
      context.addFilter(
          new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
      context.addServlet(new ServletHolder(new SendServlet(true)), "/otp/send");
      context.addServlet(new ServletHolder(new VerifyServlet(null, sim, responseTimeout)), "/otp/verify");
    } else {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      context.addServlet(new ServletHolder(new SendServlet(false)), "/otp/send");
      context.addServlet(
          new ServletHolder(new VerifyServlet(client, sim, responseTimeout)), "/otp/verify");
    }
    server.setHandler(context);
    server.start();
    return new OutageApp(server, connector, reporter, tracker);
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** The reporter's counters after waiting up to {@code settle} for in-flight deliveries. */
  @Nullable ReporterStats reporterStats(Duration settle) {
    if (reporter == null) {
      return null;
    }
    reporter.flush(settle);
    return reporter.stats();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    if (tracker != null) {
      tracker.close();
    }
    if (reporter != null) {
      reporter.close();
    }
  }

  /** Keeps a new umid in the session, as an app does after 8x8's send answered. */
  static final class SendServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final boolean helper;

    SendServlet(boolean helper) {
      this.helper = helper;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      UUID umid = new UUID(random.nextLong() & ~0xf000L | 0x4000L,
          random.nextLong() & 0x3fff_ffff_ffff_ffffL | 0x8000_0000_0000_0000L);
      HttpSession session = request.getSession(true);
      if (helper) {
        SmsFeedback.remember(session, umid.toString());
      } else {
        session.setAttribute(UMID, umid.toString());
      }
      response.setContentType("text/plain");
      response.getWriter().write("sent");
    }
  }

  /** Accepts the code; the naive variant reports to 8x8 itself, synchronously. */
  static final class VerifyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient @Nullable HttpClient naive;
    private final transient SmsApiSimulator sim;
    private final Duration timeout;

    VerifyServlet(@Nullable HttpClient naive, SmsApiSimulator sim, Duration timeout) {
      this.naive = naive;
      this.sim = sim;
      this.timeout = timeout;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      HttpSession session = request.getSession(false);
      if (naive != null && session != null && session.getAttribute(UMID) instanceof String umid) {
        session.removeAttribute(UMID);
        Delivery.postFeedback(
            naive, sim.feedbackUri(Fixtures.SUB_ACCOUNT, UUID.fromString(umid)), sim.apiKey(), timeout);
      }
      response.setContentType("text/plain");
      response.getWriter().write("verified");
    }
  }
}
