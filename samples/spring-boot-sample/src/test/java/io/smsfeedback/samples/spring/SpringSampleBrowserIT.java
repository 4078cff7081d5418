package io.smsfeedback.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smsfeedback.SentOtp;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import io.smsfeedback.store.TrackingState;
import io.smsfeedback.testing.ManualClock;
import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot sample in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}; nothing is downloaded): sign in with the password, which sends a code through
 * the starter's SMS one-time-token handler; read it on the demo page's phone, mistype it once, then
 * type it and land on the home page; 8x8 (the simulator) got one outcome, success. Screenshots go to {@code
 * target/browser/}. Skipped when Chromium is absent, except under {@code CI=true}, where it fails.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = SpringSampleIT.ABANDON_AFTER)
class SpringSampleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "browser");

  @Value("${local.server.port}")
  int port;

  @Autowired SmsApiSimulator sim;
  @Autowired ConversionStats stats;
  @Autowired PumpingAlarm alarm;

  private WebDriver driver;
  private Path profile;

  @BeforeAll
  static void chromiumIsInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present)
          .as("CI=true needs %s and %s (.ci/run installs chromium chromium-driver)", CHROMIUM, CHROMEDRIVER)
          .isTrue();
    }
    assumeTrue(
        present,
        "Skipping the browser test: no " + CHROMIUM + " / " + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)");
  }

  @AfterEach
  void quit() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void signInWithPasswordAndSmsCode_reportsSuccess() throws Exception {
    driver = chromium();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    String base = "http://localhost:" + port + "/";

    driver.get(base);
    wait.until(ExpectedConditions.urlContains("/login"));
    int inbox = sim.sentMessages().size();
    driver.findElement(By.id("username")).sendKeys("alice");
    driver.findElement(By.id("password")).sendKeys("password");
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.urlContains("/otp"));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Enter the code");

    // The phone: the demo page shows the simulated inbox.
    driver.get(base + "demo");
    String code = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("latest-code"))).getText();
    assertThat(code).matches("\\d{6}");
    screenshot("1-demo-inbox.png");
    UUID umid = sim.sentMessages().get(inbox).umid();

    // A typo first: the starter's code service keeps the code, the page says so.
    driver.get(base + "otp");
    driver.findElement(By.id("code")).sendKeys(code.equals("000000") ? "111111" : "000000");
    driver.findElement(By.id("verify")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("wrong-code")));
    screenshot("2-wrong-code.png");

    driver.findElement(By.id("code")).sendKeys(code);
    driver.findElement(By.id("verify")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("welcome")));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Welcome, alice");
    screenshot("3-home.png");

    assertThat(sim.sentMessages()).as("the typo sent no new code").hasSize(inbox + 1);
    ReceivedFeedback feedback = sim.awaitFeedback(umid, Duration.ofSeconds(10));
    assertThat(feedback.outcome()).isEqualTo("success");
    assertThat(sim.receivedFeedback(umid)).hasSize(1);

    driver.get(base + "demo");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("feedback"), umid.toString()));
    screenshot("4-demo-feedback.png");
  }

  /**
   * The conversion picture, linked from {@code /demo}: after a signed-in user's own login, five
   * minutes of traffic go into the starter's statistics on a movable clock (honest users to +65 and
   * +44; from the second minute bots to +7 that never type a code), the alarm is checked every 30
   * s as the starter does; the page shows every country's chart, the alarm band on +7, and the
   * browser logs no Content-Security-Policy violation. With {@code -Dscreenshot=true} it writes
   * {@code docs/conversion-insight.png}, the root README's picture.
   */
  @Test
  void theConversionPicture_linkedFromDemo_showsThePumpingAlarm() throws Exception {
    driver = chromium();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    String base = "http://localhost:" + port + "/";
    signIn(wait, base);

    SecureRandom random = new SecureRandom();
    List<List<SentOtp>> bots = new ArrayList<>();
    for (int step = 0; step < 10; step++) {
      otps("65", 6, 5, random);
      otps("44", 3, 2, random);
      bots.add(step >= 4 ? otps("7", 12, 0, random) : List.of());
      if (step >= 4) { // the sample's abandon-after is 2 minutes: the first bots' OTPs fail
        for (SentOtp otp : bots.get(step - 4)) {
          stats.decided(otp, TrackingState.ABANDONED, CLOCK.instant());
        }
      }
      alarm.check();
      CLOCK.advance(Duration.ofSeconds(30));
    }
    assertThat(alarm.active()).extracting(e -> e.callingCode()).containsExactly("7");

    driver.get(base + "demo");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("insight"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg[data-country='7']")));
    assertThat(driver.getCurrentUrl()).endsWith("/actuator/smsfeedback/page/5m");
    assertThat(driver.findElements(By.cssSelector("svg[data-country]")))
        .extracting(e -> e.getAttribute("data-country"))
        .contains("total", "65", "44", "7");
    assertThat(driver.findElements(By.cssSelector("svg[data-country='7'] rect.alarm"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("svg[data-country='65'] rect.alarm"))).isEmpty();
    assertThat(driver.findElement(By.id("alarms")).getText()).contains("+7 (SEND_SURGE");
    List<LogEntry> console = driver.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(console)
        .extracting(LogEntry::getMessage)
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));

    driver.manage().window().setSize(new Dimension(780, 1240));
    screenshot("5-conversion-picture.png");
    if (Boolean.getBoolean("screenshot")) {
      Path docs = Path.of("..", "..", "docs");
      Files.createDirectories(docs);
      Files.copy(
          SCREENSHOTS.resolve("5-conversion-picture.png"),
          docs.resolve("conversion-insight.png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * {@code n} OTPs to {@code callingCode} sent now, {@code verified} of them typed in, one more (if
   * any) replaced by a new code; returns those left pending.
   */
  private List<SentOtp> otps(String callingCode, int n, int verified, SecureRandom random) {
    Instant now = CLOCK.instant();
    List<SentOtp> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SentOtp otp = new SentOtp("demo", UUID.randomUUID(), now);
      stats.destination(otp.umid(), callingCode);
      stats.tracked(otp);
      if (i < verified) {
        Instant typed = now.plusSeconds(5 + random.nextInt(40));
        stats.decided(otp, TrackingState.VERIFIED, typed);
      } else if (i == verified && verified > 0) {
        stats.decided(otp, TrackingState.SUPERSEDED, now);
      } else {
        pending.add(otp);
      }
    }
    return pending;
  }

  /** Password, then the code from the demo page's inbox: a fully signed-in alice. */
  private void signIn(WebDriverWait wait, String base) {
    driver.get(base);
    wait.until(ExpectedConditions.urlContains("/login"));
    driver.findElement(By.id("username")).sendKeys("alice");
    driver.findElement(By.id("password")).sendKeys("password");
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.urlContains("/otp"));
    driver.get(base + "demo");
    String code =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("latest-code"))).getText();
    driver.get(base + "otp");
    driver.findElement(By.id("code")).sendKeys(code);
    driver.findElement(By.id("verify")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("welcome")));
  }

  /** The starter's statistics and alarm run on it (the bean below); the test moves it. */
  static final ManualClock CLOCK = new ManualClock(Instant.now());

  /** The statistics' clock (the starter's {@code smsFeedbackInsightClock}), the test's to move. */
  @TestConfiguration(proxyBeanMethods = false)
  static class InsightClock {
    @Bean(SmsFeedbackAutoConfiguration.INSIGHT_CLOCK)
    Clock insightClock() {
      return CLOCK;
    }
  }

  private WebDriver chromium() throws IOException {
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,900",
            "--user-data-dir=" + profile));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // An explicit driver and browser binary: Selenium Manager is never asked to find or fetch one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
