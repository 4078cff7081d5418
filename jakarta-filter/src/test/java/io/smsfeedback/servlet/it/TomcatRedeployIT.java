package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SmsApiSimulator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.loader.WebappClassLoaderBase;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The library as a WAR ships it: in {@code WEB-INF/lib}, loaded by the web app's own class loader,
 * registered by its {@code ServletContainerInitializer}. Tomcat 11 deploys the web app, a user
 * sends and verifies a code, and the web app is undeployed at once; three times on one Tomcat.
 * Each undeploy delivers the verification made just before it, and Tomcat's leak detection
 * ({@code WebappClassLoaderBase}, which names every thread still running with the web app's class
 * loader) reports nothing.
 *
 * <p>The JDK's {@code CompletableFutureDelayScheduler} is started once per JVM; run alone, this
 * test is the first to start it if the library does.
 */
class TomcatRedeployIT {

  private static final Logger LEAK_LOG =
      Logger.getLogger(WebappClassLoaderBase.class.getName());
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final List<String> leakWarnings = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          String message = format.formatMessage(record);
          // Not the notices that a detection needs --add-opens: those find nothing either way.
          if (record.getLevel().intValue() >= Level.WARNING.intValue()
              && !message.startsWith("You need to add")) {
            leakWarnings.add(message);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private SmsApiSimulator simulator;
  private Tomcat tomcat;
  private Level leakLogLevel;

  @BeforeEach
  void start() throws Exception {
    // The tests' logging.properties quiets this logger; its warnings are what this test reads.
    leakLogLevel = LEAK_LOG.getLevel();
    LEAK_LOG.setLevel(Level.WARNING);
    LEAK_LOG.addHandler(capture);
    simulator = SmsApiSimulator.start();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    tomcat.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      simulator.close();
      LEAK_LOG.removeHandler(capture);
      LEAK_LOG.setLevel(leakLogLevel);
    }
  }

  @Test
  void deployVerifyUndeploy_threeTimes_deliversEveryOutcome_andLeaksNoThread() throws Exception {
    Path war = explodedWar();
    List<UUID> verified = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      Context context = deploy(war);
      assertThat(context.getLoader().getClassLoader().loadClass(FeedbackReporter.class.getName()))
          .as("the library comes from WEB-INF/lib, not from the test's class path")
          .isNotSameAs(FeedbackReporter.class);

      Browser browser = new Browser(baseUri());
      HttpResponse<String> sent = browser.post("/app/send");
      assertThat(sent.statusCode()).isEqualTo(200);
      UUID umid = UUID.fromString(sent.body());
      assertThat(browser.post("/app/check").statusCode()).isEqualTo(200);
      verified.add(umid);

      tomcat.getHost().removeChild(context); // undeploy right after the verification
      assertThat(context.getState()).isIn(LifecycleState.DESTROYED, LifecycleState.STOPPED);

      assertThat(simulator.receivedFeedback(umid))
          .as("round %d: the verification just before the undeploy was delivered", round)
          .extracting(ReceivedFeedback::outcome)
          .containsExactly("success");
      assertThat(leakWarnings).as("Tomcat's leak warnings after round %d", round).isEmpty();
      await("the library's threads end with the undeploy")
          .atMost(WAIT)
          .until(() -> libraryThreads().isEmpty());
    }
    assertThat(simulator.receivedFeedback()).hasSize(3);
    assertThat(verified).doesNotHaveDuplicates();
  }

  private URI baseUri() {
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  private Context deploy(Path war) {
    // What Tomcat.addWebapp does, but configured before the host starts it.
    StandardContext context = new StandardContext();
    context.setName("/app");
    context.setPath("/app");
    context.setDocBase(war.toString());
    context.addLifecycleListener(new ContextConfig());
    StandardJarScanner scanner = new StandardJarScanner();
    scanner.setScanClassPath(false);
    context.setJarScanner(scanner);
    context.addParameter("sms.feedback.api-key", simulator.apiKey());
    context.addParameter("sms.feedback.sub-account-id", "AcmeOTP");
    context.addParameter("sms.feedback.base-url", simulator.baseUrl());
    context.addParameter("sms.feedback.verification.paths", "/check");
    context.addParameter("sms.feedback.shutdown-timeout", "5s");
    Tomcat.addServlet(context, "send", new Send());
    context.addServletMappingDecoded("/send", "send");
    Tomcat.addServlet(context, "check", new Check());
    context.addServletMappingDecoded("/check", "check");
    tomcat.getHost().addChild(context); // deploys and starts it
    assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
    assertThat(SmsFeedbackFilter.DEFAULT_FILTER_NAME)
        .isIn(context.getServletContext().getFilterRegistrations().keySet());
    return context;
  }

  /** Threads the library names {@code sms-feedback-*} that are still alive. */
  private static List<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("sms-feedback"))
        .toList();
  }

  /** A web app directory: the library and its dependencies in WEB-INF/lib (or WEB-INF/classes). */
  private Path explodedWar() throws IOException, URISyntaxException {
    Path war = Files.createDirectories(dir.resolve("war"));
    Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
    Path classes = Files.createDirectories(war.resolve("WEB-INF/classes"));
    for (Class<?> c :
        List.of(
            FeedbackReporter.class, // sms-feedback-core
            SmsFeedbackFilter.class, // sms-feedback-servlet
            HttpAsyncClients.class,
            HttpRequest.class,
            HttpVersionPolicy.class,
            LoggerFactory.class)) {
      Path from = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(from)) {
        copyTree(from, classes); // a module of this build not packaged yet
      } else {
        Files.copy(from, lib.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return war;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(
          p -> {
            try {
              Path target = to.resolve(from.relativize(p).toString());
              if (Files.isDirectory(p)) {
                Files.createDirectories(target);
              } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  /** POST /send: "sends" an OTP (a fresh umid) and keeps the umid in the session. */
  static final class Send extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String umid = UUID.randomUUID().toString();
      req.getSession().setAttribute(TestApp.ATTRIBUTE, umid);
      resp.getWriter().write(umid);
    }
  }

  /** POST /check: the code is right (200). */
  static final class Check extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("ok");
    }
  }
}
