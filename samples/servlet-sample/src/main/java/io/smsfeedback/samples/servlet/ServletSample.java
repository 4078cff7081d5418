package io.smsfeedback.samples.servlet;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Starts the servlet sample on embedded Tomcat 11.
 *
 * <p>With {@code SMS_FEEDBACK_API_KEY} and {@code SMS_FEEDBACK_SUB_ACCOUNT_ID} set it sends real
 * SMS through 8x8 (to {@code SAMPLE_PHONE}) and reports to 8x8; without them it starts the 8x8
 * simulator in-process and points the filter, and so both its SMS sender and its feedback, at it.
 *
 * <p>The web app is added with {@link Tomcat#addWebapp}, so Tomcat's {@code ContextConfig} runs
 * the {@code ServletContainerInitializer}s it finds on the class path, the sms-feedback jar's
 * among them: the filter registers itself, configured by {@code sms-feedback.properties}.
 * ({@code Tomcat.addContext} would skip that; so does Spring Boot's embedded server.)
 */
public final class ServletSample implements AutoCloseable {

  public static final String USER = "alice";
  public static final String PASSWORD = "password";
  public static final String DEFAULT_PHONE = "+6512345678";
  static final String SIMULATED_SUB_ACCOUNT = "demo-otp";

  private final Tomcat tomcat;
  private final SmsApiSimulator simulator;
  private final URI baseUri;
  private final SampleSettings settings;

  private ServletSample(Tomcat tomcat, SmsApiSimulator simulator, SampleSettings settings) {
    this.tomcat = tomcat;
    this.simulator = simulator;
    this.settings = settings;
    this.baseUri = URI.create("http://localhost:" + tomcat.getConnector().getLocalPort() + "/");
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    ServletSample app = start(port, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-shutdown"));
    System.out.println();
    System.out.println("sms-feedback servlet sample (Tomcat 11) is running.");
    if (app.simulator != null) {
      System.out.println("  8x8: the simulator at " + app.simulator.baseUrl() + " (no SMS_FEEDBACK_API_KEY set)");
    } else {
      System.out.println("  8x8: the real API; SMS go to " + app.settings.phone());
    }
    System.out.println("  Open " + app.baseUri + " and sign in as " + USER + " / " + PASSWORD);
    System.out.println("  The phone's inbox and the feedback 8x8 received: " + app.baseUri + "demo");
    System.out.println("  Ctrl-C stops it.");
    System.out.println();
    app.tomcat.getServer().await();
  }

  /** Starts the sample on {@code port} (0: a free one), reading credentials from {@code env}. */
  public static ServletSample start(int port, Map<String, String> env)
      throws IOException, LifecycleException {
    String apiKey = env.get(FeedbackSettings.environmentVariable(FeedbackSettings.API_KEY));
    boolean real = apiKey != null && !apiKey.isBlank();
    SmsApiSimulator simulator = real ? null : SmsApiSimulator.start();
    String phone = env.getOrDefault("SAMPLE_PHONE", DEFAULT_PHONE);
    if (real) {
      String subAccount =
          env.get(FeedbackSettings.environmentVariable(FeedbackSettings.SUB_ACCOUNT_ID));
      if (subAccount == null || subAccount.isBlank()) {
        throw new IllegalStateException("SMS_FEEDBACK_SUB_ACCOUNT_ID must be set with SMS_FEEDBACK_API_KEY");
      }
    }
    SampleSettings settings =
        new SampleSettings(
            USER,
            PASSWORD,
            phone,
            simulator,
            "An OTP not entered within sms.feedback.abandon-after of its send is reported as a failure "
                + "(2 minutes in this sample, 10 by default).");

    Path baseDir = Files.createTempDirectory("servlet-sample");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context =
        tomcat.addWebapp("", Files.createDirectories(baseDir.resolve("webapp")).toString());
    StandardJarScanner scanner = new StandardJarScanner();
    scanner.setScanClassPath(false);
    context.setJarScanner(scanner);
    Rfc6265CookieProcessor cookies = new Rfc6265CookieProcessor();
    cookies.setSameSiteCookies("lax");
    context.setCookieProcessor(cookies);
    if (simulator != null) {
      // The filter's configuration (and its SMS sender's) for the simulator; SMS_FEEDBACK_*
      // variables would win over these.
      context.addParameter(FeedbackSettings.API_KEY, simulator.apiKey());
      context.addParameter(FeedbackSettings.BASE_URL, simulator.baseUrl());
      context.addParameter(FeedbackSettings.SUB_ACCOUNT_ID, SIMULATED_SUB_ACCOUNT);
    }
    context.addServletContainerInitializer(new SampleWebApp(settings), null);
    try {
      tomcat.start();
    } catch (LifecycleException | RuntimeException e) {
      tomcat.destroy();
      if (simulator != null) {
        simulator.close();
      }
      throw e;
    }
    if (!context.getState().isAvailable()) {
      ServletSample failed = new ServletSample(tomcat, simulator, settings);
      failed.close();
      throw new IllegalStateException("the web app did not start; see the log above");
    }
    return new ServletSample(tomcat, simulator, settings);
  }

  public URI baseUri() {
    return baseUri;
  }

  /** The in-process 8x8 simulator, or null when talking to the real 8x8. */
  public SmsApiSimulator simulator() {
    return simulator;
  }

  /** Stops Tomcat (the filter delivers what is queued within shutdown-timeout), then the simulator. */
  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      System.err.println("stopping Tomcat: " + e);
    }
    if (simulator != null) {
      simulator.close();
    }
  }
}
