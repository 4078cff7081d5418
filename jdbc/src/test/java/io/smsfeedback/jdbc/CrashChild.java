package io.smsfeedback.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The node that {@link CrashRecoveryIT} kills: a tracker, a reporter and a JDBC store on the test's
 * database, fed with the OTPs of a plan file ({@code kind umid sentAtMillis} per line; kind {@code
 * verify}, {@code supersede} or {@code pending}). Prints {@code DECIDED} once every signal was
 * applied, then delivers until killed.
 *
 * <p>Arguments: jdbcUrl tablePrefix simulatorBaseUrl apiKey leaseMillis abandonAfterMillis
 * planFile.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(args[0]);
    pool.setMaximumPoolSize(4);
    HikariDataSource dataSource = new HikariDataSource(pool);
    FeedbackSettings settings =
        FeedbackSettings.builder()
            .apiKey(args[3])
            .subAccountId("acme-otp")
            .baseUrl(URI.create(args[2]))
            .abandonAfter(Duration.ofMillis(Long.parseLong(args[5])))
            .maxConcurrentRequests(4)
            .responseTimeout(Duration.ofMinutes(1))
            .build();
    JdbcTrackingStore store =
        JdbcTrackingStore.builder(dataSource)
            .outbox(true)
            .tablePrefix(args[1])
            .lease(Duration.ofMillis(Long.parseLong(args[4])))
            .build();
    FeedbackReporter reporter =
        FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
    ConversionTracker tracker =
        ConversionTracker.builder(settings, reporter)
            .store(store)
            .scanInterval(Duration.ofMillis(100))
            .build();
    for (String line : Files.readAllLines(Path.of(args[6]), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      SentOtp otp =
          new SentOtp(
              "acme-otp", UUID.fromString(f[1]), Instant.ofEpochMilli(Long.parseLong(f[2])));
      require(tracker.sent(otp), line);
      switch (f[0]) {
        case "verify" -> require(tracker.verified(otp, Instant.now()), line);
        case "supersede" -> require(tracker.superseded(otp, Instant.now()), line);
        default -> {} // pending: decided later, by whichever node scans first
      }
    }
    System.out.println("DECIDED");
    System.out.flush();
    new CountDownLatch(1).await(); // deliver until killed
  }

  private static void require(ConversionTracker.Signal signal, String line) {
    if (signal != ConversionTracker.Signal.APPLIED) {
      throw new IllegalStateException(signal + " for " + line);
    }
  }
}
