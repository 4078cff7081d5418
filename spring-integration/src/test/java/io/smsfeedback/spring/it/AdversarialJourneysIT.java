package io.smsfeedback.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.servlet.FilterStats;
import io.smsfeedback.testkit.Browser;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.spring.it.journeys.JourneysApp;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Clients that would make the starter tell 8x8 something untrue, in a real Spring Boot app ({@link
 * JourneysApp}: CSRF on, password form login, one-time-token login, HTTP-judged code endpoints)
 * against the simulator: resends judged as verifications, a bot's parallel sends on one session, a
 * password re-login while an SMS is pending, requests the app never handled (a missing parameter,
 * a CSRF refusal), an exception after Spring Security authenticated, an abandoned OTP after a
 * restart with persisted sessions. Every journey asserts that each umid the simulator sent got
 * exactly the outcome the truth calls for, once, and nothing else came.
 *
 * <p>Two apps serve most journeys: a patient one (abandon-after 10m, max-attempts 1, so any request
 * wrongly counted as a wrong code ends the OTP as a failure) and an impatient one (abandon-after
 * 2s, for the journeys whose truth is an abandonment). The restart journey starts its own.
 */
class AdversarialJourneysIT {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String KEY = "journeys-key-0123456789abcdef";
  static final String PATHS = "/otp/*,/exact/send,/exact/verify";
  private static final Pattern OTT = Pattern.compile("code: (\\S+)");

  static SmsApiSimulator sim;
  static ConfigurableApplicationContext patient;
  static ConfigurableApplicationContext impatient;

  @BeforeAll
  static void startApps() {
    sim = SmsApiSimulator.builder().apiKey(KEY).build();
    patient = start("--sms.feedback.max-attempts=1");
    impatient = start("--sms.feedback.abandon-after=2s");
  }

  @AfterAll
  static void stopApps() {
    try {
      for (ConfigurableApplicationContext app : Arrays.asList(patient, impatient)) {
        if (app != null) {
          app.close(); // delivers what was decided
        }
      }
      sim.assertNoDuplicates();
    } finally {
      sim.close();
    }
  }

  @BeforeEach
  void forgetEarlierJourneys() {
    assertThat(patient.getBean(FeedbackReporter.class).flush(WAIT)).isTrue();
    assertThat(impatient.getBean(FeedbackReporter.class).flush(WAIT)).isTrue();
    sim.reset();
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--sms.feedback.api-key=" + KEY,
                "--sms.feedback.sub-account-id=acme_otp",
                "--sms.feedback.base-url=" + sim.baseUrl(),
                "--sms.feedback.verification.paths=" + PATHS));
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(JourneysApp.class).run(args.toArray(String[]::new));
  }

  static int port(ConfigurableApplicationContext app) {
    return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
  }

  static FilterStats stats(ConfigurableApplicationContext app) {
    return ((SmsFeedbackFilter)
            app.getBean("smsFeedbackFilterRegistration", FilterRegistrationBean.class).getFilter())
        .stats();
  }

  /** Waits until the filter has finished the requests that move the counter the predicate reads. */
  static void awaitFilter(ConfigurableApplicationContext app, Predicate<FilterStats> done) {
    await().atMost(WAIT).until(() -> done.test(stats(app)));
  }

  /** Waits until everything decided was delivered; then 8x8 got exactly these outcomes, once. */
  static void assertOutcomes(ConfigurableApplicationContext app, Map<UUID, String> expected) {
    assertThat(app.getBean(FeedbackReporter.class).flush(WAIT)).isTrue();
    sim.assertNoDuplicates();
    Map<UUID, String> received = new LinkedHashMap<>();
    for (ReceivedFeedback f : sim.receivedFeedback()) {
      received.put(f.umid(), f.outcome());
    }
    assertThat(received).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(sim.receivedFeedback()).hasSize(expected.size());
  }

  /** A browser with a session whose CSRF token it knows, as after loading a page with a form. */
  static final class User {
    final Browser browser;
    final String csrf;

    User(ConfigurableApplicationContext app) {
      this(new Browser(port(app)));
    }

    private User(Browser browser) {
      this.browser = browser;
      HttpResponse<String> page = browser.get("/csrf");
      assertThat(page.statusCode()).isEqualTo(200);
      this.csrf = page.body();
    }

    private User(Browser browser, String csrf) {
      this.browser = browser;
      this.csrf = csrf;
    }

    /** The same browser and session on a restarted app. */
    User at(ConfigurableApplicationContext app) {
      return new User(browser.at(port(app)), csrf);
    }

    /** A form POST with the session's CSRF token; {@code fields} alternate names and values. */
    HttpResponse<String> post(String path, String... fields) {
      String[] form =
          Stream.concat(Stream.of("_csrf", csrf), Stream.of(fields)).toArray(String[]::new);
      return browser.post(path, form);
    }

    /** Asks for an SMS code; returns its umid. */
    UUID send(String base) {
      assertRedirect(post(base + "/send"), "/otp");
      return lastSms().umid();
    }
  }

  static SentMessage lastSms() {
    return sim.lastMessageTo(JourneysApp.PHONE).orElseThrow();
  }

  static String codeOf(UUID umid) {
    return sim.sentMessages().stream()
        .filter(m -> m.umid().equals(umid))
        .findFirst()
        .orElseThrow()
        .code()
        .orElseThrow();
  }

  static void assertRedirect(HttpResponse<String> r, String location) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith(location));
  }

  static long successes(ConfigurableApplicationContext app) {
    return app.getBean(ConversionTracker.class).stats().successes();
  }

  @ParameterizedTest(name = "{0}/send, {0}/verify")
  @ValueSource(strings = {"/otp", "/exact"})
  void resend_supersedesThePreviousSmsAndIsNeverItsSuccess(String base) {
    User user = new User(patient);
    UUID first = user.send(base);
    // The resend answers a redirect to /otp on a verification path: the status rule alone would
    // call it the first SMS's success.
    UUID second = user.send(base);
    long before = successes(patient);
    assertRedirect(user.post(base + "/verify", "code", codeOf(second)), "/home");

    await().atMost(WAIT).until(() -> successes(patient) == before + 1);
    assertOutcomes(patient, Map.of(first, "failure", second, "success"));
  }

  @Test
  void twentyParallelSendsOnOneSession_everySmsFailsExactlyOnceNoneVerified() throws Exception {
    User bot = new User(impatient);
    bot.send("/otp");
    long before = successes(impatient);
    int threads = 20;
    List<Integer> statuses =
        Browser.atOnce(threads, () -> bot.post("/otp/send").statusCode());
    assertThat(statuses).containsOnly(302).hasSize(threads);
    List<SentMessage> sent = sim.sentMessages();
    assertThat(sent).hasSize(threads + 1);

    // The last one in the session is abandoned (2s); the others were superseded.
    sim.awaitFeedbackCount(threads + 1, WAIT);
    assertThat(successes(impatient)).isEqualTo(before);
    Map<UUID, String> expected = new LinkedHashMap<>();
    sent.forEach(m -> expected.put(m.umid(), "failure"));
    assertOutcomes(impatient, expected);
  }

  @Test
  void passwordReLoginWhileSmsPending_isNoSuccess_theSmsIsAbandoned() {
    User user = new User(impatient);
    UUID umid = user.send("/otp");
    long before = successes(impatient);

    assertRedirect(user.post("/login", "username", "alice", "password", "password"), "/");

    assertThat(sim.awaitFeedback(umid, WAIT).outcome()).isEqualTo("failure");
    assertThat(successes(impatient)).isEqualTo(before);
    assertOutcomes(impatient, Map.of(umid, "failure"));
  }

  @Test
  void failedPasswordLogin_isNoAttempt() {
    User user = new User(patient);
    UUID umid = user.send("/otp");
    long wrongCodes = patient.getBean(ConversionTracker.class).stats().wrongCodes();
    long before = successes(patient);

    assertRedirect(user.post("/login", "username", "alice", "password", "wrong"), "/login?error");
    assertRedirect(user.post("/otp/verify", "code", codeOf(umid)), "/home");

    await().atMost(WAIT).until(() -> successes(patient) == before + 1);
    assertThat(patient.getBean(ConversionTracker.class).stats().wrongCodes()).isEqualTo(wrongCodes);
    assertOutcomes(patient, Map.of(umid, "success"));
  }

  @Test
  void threeCodelessPostsRefusedBeforeTheHandler_areNoAttempts() {
    // Spring MVC refuses the missing @RequestParam with 400 before the handler runs.
    refusedThenTheRightCode(3, 400, user -> user.post("/otp/verify"));
  }

  @Test
  void csrfRefusedPost_isNoAttempt() {
    // A cross-site POST carrying the victim's cookie but not the token: refused by Spring Security.
    refusedThenTheRightCode(1, 403, user -> user.browser.post("/otp/verify", "code", "000000x"));
  }

  /**
   * On the app with max-attempts 1: {@code count} requests refused with {@code status} before any
   * code was compared (each one "no verdict"), then the right code: success, no wrong code counted.
   */
  void refusedThenTheRightCode(
      int count, int status, Function<User, HttpResponse<String>> refusedRequest) {
    User user = new User(patient);
    UUID umid = user.send("/otp");
    long noVerdicts = stats(patient).noVerdicts();
    long wrongCodes = stats(patient).wrongCodes();

    for (int i = 0; i < count; i++) {
      assertThat(refusedRequest.apply(user).statusCode()).isEqualTo(status);
    }
    awaitFilter(patient, s -> s.noVerdicts() == noVerdicts + count);
    long before = successes(patient);
    assertRedirect(user.post("/otp/verify", "code", codeOf(umid)), "/home");

    await().atMost(WAIT).until(() -> successes(patient) == before + 1);
    assertThat(stats(patient).wrongCodes()).isEqualTo(wrongCodes);
    assertOutcomes(patient, Map.of(umid, "success"));
  }

  @Test
  void exceptionInTheAppAfterTheCodeAuthenticated_isStillSuccess() {
    User user = new User(patient);
    HttpResponse<String> generate =
        user.post("/ott/generate", "username", JourneysApp.FAILING_USER);
    assertThat(generate.statusCode()).as(generate.body()).isEqualTo(200);
    SentMessage sms = lastSms();
    Matcher token = OTT.matcher(sms.text());
    assertThat(token.find()).as(sms.text()).isTrue();
    long before = successes(patient);

    // Spring Security accepted the token; then the app's success handler throws.
    assertThat(user.post("/login/ott", "token", token.group(1)).statusCode()).isEqualTo(500);

    await().atMost(WAIT).until(() -> successes(patient) == before + 1);
    assertOutcomes(patient, Map.of(sms.umid(), "success"));
  }

  @Test
  void abandonedThenRestartWithPersistedSessions_oneOutcome(@TempDir Path sessions) {
    String[] restartable = {
      "--sms.feedback.abandon-after=2s",
      "--server.servlet.session.persistent=true",
      "--server.servlet.session.store-dir=" + sessions
    };
    ConfigurableApplicationContext app = start(restartable);
    UUID umid;
    try {
      User user = new User(app);
      umid = user.send("/otp");
      assertThat(sim.awaitFeedback(umid, WAIT).outcome()).isEqualTo("failure");

      app.close(); // Tomcat writes the sessions to the store directory ...
      app = start(restartable); // ... and the new app reads them back
      User same = user.at(app);
      // The session (and the code in it) survived: the app accepts the code ...
      assertRedirect(same.post("/otp/verify", "code", codeOf(umid)), "/home");
      ConfigurableApplicationContext restarted = app;
      awaitFilter(restarted, s -> s.successes() == 1);
      // ... but the abandoned umid is never decided again; nor when a resend replaces it.
      UUID second = same.send("/otp");
      assertThat(second).isNotEqualTo(umid);
    } finally {
      app.close(); // delivers what was decided
    }
    sim.assertNoDuplicates();
    assertThat(sim.receivedFeedback())
        .singleElement()
        .satisfies(f -> assertThat(f.umid()).isEqualTo(umid))
        .satisfies(f -> assertThat(f.outcome()).isEqualTo("failure"));
  }
}
