package io.smsfeedback.samples.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample WAR (Spring Boot 4, the starter and with it the servlet jar in {@code WEB-INF/lib})
 * deployed as {@code ROOT.war} on a Tomcat 11 distribution from Maven Central, started as its own
 * process with no {@code SMS_FEEDBACK_*} variable in its environment and no sms-feedback system
 * property: {@code application.properties} alone decides.
 */
class WarOnTomcatIT {

  static final Duration START = Duration.ofSeconds(90);
  static final String PHONE = "+6512345678";

  @TempDir Path base;
  private Process tomcat;
  private int port;

  @AfterEach
  void stop() throws InterruptedException {
    if (tomcat != null && tomcat.isAlive()) {
      tomcat.destroy(); // SIGTERM: Catalina's shutdown hook stops the web app (and drains)
      if (!tomcat.waitFor(60, TimeUnit.SECONDS)) {
        tomcat.destroyForcibly();
      }
    }
  }

  @Test
  void disabledInApplicationProperties_deploysAndNothingRuns() throws Exception {
    start(Map.of());
    assertThat(get("/hello").body()).isEqualTo("hello");
    assertThat(get("/feedback-filters").body()).isEmpty();
    assertThat(log()).doesNotContain("sms-feedback: invalid configuration");
  }

  @Test
  void enabledForSpringBoot_theStarterReportsTheOutcome() throws Exception {
    try (SmsApiSimulator sim =
        SmsApiSimulator.builder().apiKey("war-sample-key-0123456789").build()) {
      // Only Spring Boot reads SPRING_APPLICATION_JSON: the servlet jar's initializer never sees it.
      start(
          Map.of(
              "SPRING_APPLICATION_JSON",
              "{\"sms.feedback.enabled\":true,\"sms.feedback.base-url\":\""
                  + sim.baseUrl()
                  + "\"}"));
      assertThat(get("/feedback-filters").body().strip()).isEqualTo("smsFeedbackSpringFilter");

      HttpClient browser =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      // The starter's SmsSender, bound to the web app for SmsFeedback.sendOtp: 8x8 refusing the
      // SMS is a typed error the app answers with 502, never a 500.
      sim.enqueueSendFaults(Fault.status(400));
      HttpResponse<String> refused = post(browser, "/otp/send?phone=" + PHONE.replace("+", "%2B"));
      assertThat(refused.statusCode()).isEqualTo(502);
      assertThat(sim.sentMessagesTo(PHONE)).isEmpty();

      assertThat(post(browser, "/otp/send?phone=" + PHONE.replace("+", "%2B")).statusCode())
          .isEqualTo(200);
      SentMessage sms = sim.lastMessageTo(PHONE).orElseThrow();
      assertThat(sms.text()).matches("Your code is \\d{6}");
      assertThat(sms.subAccountId()).isEqualTo("acme_otp");
      HttpResponse<String> verify =
          post(browser, "/otp/verify?code=" + sms.code().orElseThrow());
      assertThat(verify.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/home"));

      assertThat(sim.awaitFeedback(sms.umid(), Duration.ofSeconds(20)).outcome())
          .isEqualTo("success");
      stop();
      sim.assertNoDuplicates();
      assertThat(sim.receivedFeedback()).hasSize(1);
    }
  }

  /** A CATALINA_BASE of its own with the WAR as ROOT; waits until the deployment finished. */
  private void start(Map<String, String> environment) throws Exception {
    Path home = Paths.get(System.getProperty("tomcat.home"));
    Path war = Paths.get(System.getProperty("sample.war"));
    assertThat(home.resolve("bin/bootstrap.jar")).exists();
    assertThat(war).exists();
    for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path file : conf.filter(Files::isRegularFile).toList()) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
      }
    }
    port = freePort();
    Files.writeString(
        base.resolve("conf/server.xml"),
        """
        <Server port="-1" shutdown="SHUTDOWN">
          <Service name="Catalina">
            <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1"/>
            <Engine name="Catalina" defaultHost="localhost">
              <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
            </Engine>
          </Service>
        </Server>
        """
            .formatted(port));
    Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
                "-Dcatalina.home=" + home,
                "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "org.apache.catalina.startup.Bootstrap",
                "start")
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("logs/console.txt").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SMS_FEEDBACK_"));
    builder.environment().putAll(environment);
    tomcat = builder.start();
    await()
        .atMost(START)
        .until(() -> !tomcat.isAlive() || log().contains("Deployment of web application archive"));
    assertThat(tomcat.isAlive()).as(log()).isTrue();
  }

  private String log() throws IOException {
    Path console = base.resolve("logs/console.txt");
    return Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(log()).isEqualTo(200);
    return response;
  }

  private HttpResponse<String> post(HttpClient browser, String path) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
