package io.smsfeedback.spring.internal;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.insight.AlarmListener;
import io.smsfeedback.insight.ConversionStats;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.insight.SendGuard;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.spring.SmsFeedbackProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bound {@link SmsFeedbackProperties} into the core's settings through its builder, whose
 * validation messages name the property ({@code sms.feedback.queue-capacity must be ...}).
 */
public final class PropertiesMapper {

  private PropertiesMapper() {}

  /**
   * The core's settings, as bound.
   *
   * @throws IllegalArgumentException naming the first invalid or missing property
   */
  public static FeedbackSettings feedbackSettings(SmsFeedbackProperties p) {
    return feedbackSettings(p, false);
  }

  /**
   * The core's settings; with {@code attemptsFromSmsLogin}, {@code sms.feedback.max-attempts} is
   * {@code sms.feedback.ott.max-attempts}: the SMS one-time-token login ends a code at its last
   * wrong try, so that SMS can no longer convert and its failure is reported at once instead of at
   * {@code abandon-after}. The caller passes it only when the login is on and the application did
   * not set {@code sms.feedback.max-attempts} itself.
   *
   * @throws IllegalArgumentException naming the first invalid or missing property
   */
  public static FeedbackSettings feedbackSettings(
      SmsFeedbackProperties p, boolean attemptsFromSmsLogin) {
    FeedbackSettings.Builder b = FeedbackSettings.builder();
    String apiKey = PropertyReader.blankAsAbsent(p.getApiKey());
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    String subAccountId = PropertyReader.blankAsAbsent(p.getSubAccountId());
    if (subAccountId != null) {
      b.subAccountId(subAccountId);
    }
    return b.region(p.getRegion())
        .baseUrl(p.getBaseUrl())
        .validity(p.getValidity())
        .queueCapacity(p.getQueueCapacity())
        .maxConcurrentRequests(p.getMaxConcurrentRequests())
        .connectTimeout(p.getConnectTimeout())
        .responseTimeout(p.getResponseTimeout())
        .retryMaxBackoff(p.getRetry().getMaxBackoff())
        .retryInitialBackoff(p.getRetry().getInitialBackoff())
        .shutdownTimeout(p.getShutdownTimeout())
        .maxAttempts(attemptsFromSmsLogin ? p.getOtt().getMaxAttempts() : p.getMaxAttempts())
        .abandonAfter(p.getAbandonAfter())
        .maxTracked(p.getMaxTracked())
        .build();
  }

  /**
   * The servlet filter's settings: enabled (the starter is active), with the core's subaccount.
   *
   * @throws IllegalArgumentException naming the first invalid property
   */
  public static FilterSettings filterSettings(SmsFeedbackProperties p) {
    return FilterSettings.builder()
        .enabled(true)
        .subAccountId(PropertyReader.blankAsAbsent(p.getSubAccountId()))
        .sessionAttribute(p.getSessionAttribute())
        .verificationPaths(p.getVerification().getPaths())
        .verificationMethods(p.getVerification().getMethods())
        .failureLocation(p.getVerification().getFailureLocation())
        .failureStatuses(p.getVerification().getFailureStatuses())
        .build();
  }

  /**
   * The pumping alarm over {@code stats} with the {@code sms.feedback.alarm.*} thresholds.
   *
   * @throws IllegalArgumentException naming the first invalid property and quoting its value
   */
  public static PumpingAlarm pumpingAlarm(
      ConversionStats stats, SmsFeedbackProperties.Alarm a, AlarmListener listener) {
    PumpingAlarm.Builder b = PumpingAlarm.builder(stats).listener(listener);
    alarm("minSample", "min-sample", () -> b.minSample(a.getMinSample()));
    alarm("dropFraction", "drop-fraction", () -> b.dropFraction(a.getDropFraction()));
    alarm("surgeFactor", "surge-factor", () -> b.surgeFactor(a.getSurgeFactor()));
    alarm("minBaseline", "min-baseline", () -> b.minBaseline(a.getMinBaseline()));
    alarm("assumedConversion", "assumed-conversion",
        () -> b.assumedConversion(a.getAssumedConversion()));
    alarm("clearAfter", "clear-after", () -> b.clearAfter(a.getClearAfter()));
    return b.build();
  }

  /** Runs a builder setter; its message names the property instead of the setter. */
  private static void alarm(String setter, String property, Runnable set) {
    try {
      set.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = String.valueOf(e.getMessage());
      String key = FeedbackSettings.PREFIX + "alarm." + property;
      throw new IllegalArgumentException(
          message.startsWith(setter) ? key + message.substring(setter.length()) : key + ": " + message,
          e);
    }
  }

  /** The property of the send guard's allow-list. */
  public static final String GUARD_ALLOW = FeedbackSettings.PREFIX + "guard.allow";

  /**
   * The send guard's allow-list, {@code sms.feedback.guard.allow}: calling codes, blanks ignored.
   *
   * @throws IllegalArgumentException naming the property and quoting the first bad code
   */
  public static List<String> guardAllow(List<String> allow) {
    List<String> codes = new ArrayList<>();
    for (String code : allow) {
      String trimmed = PropertyReader.blankAsAbsent(code);
      if (trimmed == null) {
        continue;
      }
      try {
        codes.add(SendGuard.checkCallingCode(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(GUARD_ALLOW + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(codes);
  }
}
