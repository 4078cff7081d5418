package io.smsfeedback.spring.it.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.jdbc.PostgresExtension;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of a Spring Boot app (random ports) share one PostgreSQL for Spring Session JDBC
 * and for the sms-feedback JDBC store, which the starter creates from {@code sms.feedback.store=jdbc}.
 * One browser session: the OTP is sent through one instance and verified through the other; 8x8
 * gets exactly one success, delivered by the instance that decided it, whose outbox settles it.
 */
class SpringSessionIT {

  static final String KEY = "session-key-0123456789abcdef";

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  private ConfigurableApplicationContext first;
  private ConfigurableApplicationContext second;

  @AfterEach
  void stop() {
    for (ConfigurableApplicationContext app :
        new ConfigurableApplicationContext[] {second, first}) {
      if (app != null) {
        app.close();
      }
    }
  }

  @Test
  void otpSentThroughOneInstance_verifiedThroughTheOther_isReportedOnce() throws Exception {
    SmsApiSimulator sim = extension.simulator();
    first = start(sim, "always");
    second = start(sim, "never");
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager()) // one session cookie for both instances
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    assertThat(post(browser, first, "/otp/send").statusCode()).isEqualTo(200);
    SentMessage sms = sim.lastMessageTo(SessionApp.PHONE).orElseThrow();
    UUID umid = sms.umid();
    String code = sms.code().orElseThrow();

    JdbcTrackingStore store = first.getBean(JdbcTrackingStore.class);
    // The filter judges a response after it went out: wait for each verdict before the next click.
    assertThat(post(browser, second, "/otp/verify?code=000000x").statusCode())
        .as("a wrong code, through the second instance")
        .isEqualTo(401);
    await().atMost(Duration.ofSeconds(10)).until(() -> wrongCodes(store, umid) == 1);
    assertThat(post(browser, second, "/otp/verify?code=" + code).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state(store, umid) == TrackingState.VERIFIED);
    assertThat(post(browser, first, "/otp/verify?code=" + code).statusCode())
        .as("a double submit, through the first instance")
        .isEqualTo(200);

    ReceivedFeedback feedback = sim.awaitFeedback(umid, Duration.ofSeconds(15));
    for (ConfigurableApplicationContext app : List.of(first, second)) {
      assertThat(app.getBean(FeedbackReporter.class).flush(Duration.ofSeconds(10))).isTrue();
      assertThat(app.getBean(JdbcTrackingStore.class).flush(Duration.ofSeconds(10))).isTrue();
    }
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).containsExactly(feedback);
    assertThat(feedback.outcome()).isEqualTo("success");
    assertThat(second.getBean(ConversionTracker.class).stats().successes()).isEqualTo(1);
    assertThat(first.getBean(ConversionTracker.class).stats().successes()).isZero();
    assertThat(second.getBean(FeedbackReporter.class).stats().delivered())
        .as("delivered by the instance that decided it")
        .isEqualTo(1);
    assertThat(first.getBean(FeedbackReporter.class).stats().accepted()).isZero();
    assertThat(second.getBean(JdbcTrackingStore.class).stats().settled())
        .as("the outbox listener is on the reporter: the delivery was settled")
        .isEqualTo(1);
    assertThat(state(store, umid)).isEqualTo(TrackingState.VERIFIED);
    assertThat(wrongCodes(store, umid)).isEqualTo(1);
  }

  /**
   * Issue #13 item 4 through Spring Session JDBC: a bot fires 20 sends at once on one session,
   * spread over both instances. Each request works on its own copy of the session and saves it at
   * its end, so most written umids are overwritten in the shared session by another node's save,
   * and a node supersedes umids another node is abandoning. Every SMS still gets exactly one
   * outcome, a failure: each request tracks its own write, and the shared store decides each umid
   * once (with a per-node in-memory store instead, this test sees umids reported twice).
   */
  @Test
  void twentyParallelSendsOnOneSessionOverTwoInstances_everySmsFailsExactlyOnce()
      throws Exception {
    SmsApiSimulator sim = extension.simulator();
    first = start(sim, "always", "--sms.feedback.abandon-after=2s");
    second = start(sim, "never", "--sms.feedback.abandon-after=2s");
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    assertThat(post(browser, first, "/otp/send").statusCode()).isEqualTo(200); // the session
    int threads = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        ConfigurableApplicationContext node = i % 2 == 0 ? first : second;
        Callable<Integer> send =
            () -> {
              go.await();
              return post(browser, node, "/otp/send").statusCode();
            };
        statuses.add(pool.submit(send));
      }
      go.countDown();
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<UUID> sent = new HashSet<>();
    sim.sentMessages().forEach(m -> sent.add(m.umid()));
    assertThat(sent).hasSize(threads + 1);

    List<ReceivedFeedback> received = sim.awaitFeedbackCount(threads + 1, Duration.ofSeconds(30));
    for (ConfigurableApplicationContext app : List.of(first, second)) {
      assertThat(app.getBean(FeedbackReporter.class).flush(Duration.ofSeconds(10))).isTrue();
      assertThat(app.getBean(JdbcTrackingStore.class).flush(Duration.ofSeconds(10))).isTrue();
    }
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback()).hasSize(threads + 1);
    assertThat(received)
        .extracting(ReceivedFeedback::umid)
        .containsExactlyInAnyOrderElementsOf(sent);
    assertThat(received).extracting(ReceivedFeedback::outcome).containsOnly("failure");
  }

  private static int wrongCodes(JdbcTrackingStore store, UUID umid) {
    return store.find(umid).map(TrackedOtp::wrongCodes).orElse(0);
  }

  private static TrackingState state(JdbcTrackingStore store, UUID umid) {
    return store.find(umid).map(TrackedOtp::state).orElse(TrackingState.PENDING);
  }

  private ConfigurableApplicationContext start(
      SmsApiSimulator sim, String sessionSchema, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(),
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--spring.session.jdbc.initialize-schema=" + sessionSchema,
                "--spring.autoconfigure.exclude=", // the other test apps' exclusion of DataSource
                "--sms.feedback.store=jdbc",
                "--sms.feedback.jdbc.initialize-schema=true",
                "--sms.feedback.api-key=" + KEY,
                "--sms.feedback.sub-account-id=acme-otp",
                "--sms.feedback.base-url=" + sim.baseUrl(),
                "--sms.feedback.verification.paths=/otp/verify"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(SessionApp.class).run(args.toArray(String[]::new));
  }

  private static HttpResponse<String> post(
      HttpClient browser, ConfigurableApplicationContext app, String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
    return browser.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
