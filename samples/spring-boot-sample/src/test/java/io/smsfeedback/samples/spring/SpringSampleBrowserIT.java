package io.smsfeedback.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smsfeedback.testkit.ReceivedFeedback;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

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
