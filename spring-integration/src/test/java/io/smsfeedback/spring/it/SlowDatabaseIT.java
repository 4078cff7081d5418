package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.spring.it.app.OtpApp;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter with {@code sms.feedback.store=jdbc} on a PostgreSQL that stops answering: the table
 * locked {@code ACCESS EXCLUSIVE} by another transaction for 10 s, then the server stopped and
 * started again. Users send codes and sign in through the filter meanwhile: every request
 * completes within the statement timeout (250 ms, the default) plus a generous margin (1.5 s, for a
 * loaded machine; the slowest is printed), health shows the store degraded, and once the database
 * answers every outcome reaches 8x8 exactly once.
 */
class SlowDatabaseIT {

  static final Duration BOUND = Duration.ofMillis(250).plusMillis(1500);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration LOCKED_FOR = Duration.ofSeconds(10);
  static final String TABLE = "sms_feedback_tracked_otp";

  private static final SmsApiSimulator SIM = SmsApiSimulator.start();
  private static Path data;
  private static int dbPort;
  private static EmbeddedPostgres postgres;
  private static ConfigurableApplicationContext app;
  private static int port;

  private Duration slowest = Duration.ZERO;

  @BeforeAll
  static void start() throws IOException {
    data = Files.createTempDirectory("slow-db");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dbPort = s.getLocalPort();
    }
    postgres = startPostgres();
    app =
        new SpringApplicationBuilder(OtpApp.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                // a DataSource, but the container's sessions (not Spring Session JDBC)
                "--spring.autoconfigure.exclude="
                    + "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
                    + "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
                    + "org.springframework.boot.autoconfigure.session.SessionAutoConfiguration",
                "--sms.feedback.store=jdbc",
                "--sms.feedback.jdbc.initialize-schema=true",
                "--sms.feedback.jdbc.lease=3s",
                "--sms.feedback.api-key=" + SIM.apiKey(),
                "--sms.feedback.sub-account-id=acme_otp",
                "--sms.feedback.base-url=" + SIM.baseUrl(),
                "--sms.feedback.security.code-authentications="
                    + "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
                "--management.endpoints.web.exposure.include=health",
                "--management.endpoint.health.show-details=always");
    port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (app != null) {
      app.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    SIM.close();
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterEach
  void printSlowest() {
    System.out.println("SlowDatabaseIT: slowest request " + slowest.toMillis() + " ms");
  }

  @Test
  void tableLocked_requestsEndWithinTheTimeout_andEveryOutcomeReaches8x8Once() throws Exception {
    List<UUID> umids = new ArrayList<>();
    umids.add(signIn()); // warm: the first request also initialises the app's servlets
    try (Connection locker = postgres.getPostgresDatabase().getConnection()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE");
      }
      long end = System.nanoTime() + LOCKED_FOR.toNanos();
      do {
        umids.add(signIn());
        if (umids.size() == 1) {
          assertThat(feedbackHealth()).contains("\"store\":\"degraded\"");
        }
      } while (System.nanoTime() - end < 0);
      locker.rollback();
    }
    System.out.println("SlowDatabaseIT: " + (umids.size() - 1) + " sign-ins while locked");
    assertEachDeliveredOnce(umids);
  }

  @Test
  void databaseStoppedAndRestarted_requestsEndWithinTheTimeout_andEveryOutcomeReaches8x8Once()
      throws Exception {
    List<UUID> umids = new ArrayList<>();
    postgres.close();
    postgres = null;
    for (int i = 0; i < 5; i++) {
      umids.add(signIn());
    }
    assertThat(feedbackHealth()).contains("\"store\":\"degraded\"");
    postgres = startPostgres();
    assertEachDeliveredOnce(umids);
  }

  /** Every sign-in decided while the database did not answer reaches 8x8 once, as a success. */
  private void assertEachDeliveredOnce(List<UUID> umids) {
    for (UUID umid : umids) {
      assertThat(SIM.awaitFeedback(umid, WAIT).outcome()).as("outcome of %s", umid).isEqualTo("success");
    }
    await("the store answers again and health shows it")
        .atMost(WAIT)
        .until(
            () -> {
              signIn();
              return feedbackHealth().contains("\"store\":\"up\"");
            });
    assertThat(app.getBean(FeedbackReporter.class).flush(WAIT)).isTrue();
    assertThat(app.getBean(JdbcTrackingStore.class).flush(WAIT)).isTrue();
    SIM.assertNoDuplicates();
    for (UUID umid : umids) {
      assertThat(SIM.receivedFeedback(umid)).as("deliveries of %s", umid).hasSize(1);
    }
    assertThat(app.getBean(JdbcTrackingStore.class).stats().lostWrites()).isZero();
  }

  /** A user asks for a code and signs in with it; returns the SMS's umid. */
  private UUID signIn() {
    Browser browser = new Browser(port);
    assertThat(timed(() -> browser.post("/sms/send", "phone", OtpApp.PHONE)).statusCode())
        .isEqualTo(200);
    SentMessage sms = SIM.lastMessageTo(OtpApp.PHONE).orElseThrow();
    HttpResponse<String> login =
        timed(
            () ->
                browser.post(
                    "/login", "username", OtpApp.PHONE, "password", sms.code().orElseThrow()));
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/"));
    return sms.umid();
  }

  private HttpResponse<String> timed(Supplier<HttpResponse<String>> request) {
    long start = System.nanoTime();
    HttpResponse<String> response = request.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (took.compareTo(slowest) > 0) {
      slowest = took;
    }
    assertThat(took).as("a request while the database does not answer").isLessThan(BOUND);
    return response;
  }

  private String feedbackHealth() {
    return new Browser(port).get("/actuator/health/smsFeedback").body();
  }

  private static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(dbPort)
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .start();
  }
}
