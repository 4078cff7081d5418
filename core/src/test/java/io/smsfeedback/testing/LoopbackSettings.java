package io.smsfeedback.testing;

import io.smsfeedback.FeedbackSettings;
import java.net.URI;
import java.time.Duration;

/** Settings for tests over loopback HTTP: subaccount {@code acme-otp}, timeouts that a loaded machine does not hit. */
public final class LoopbackSettings {

  private LoopbackSettings() {}

  /** Subaccount {@code acme-otp}, connect timeout 5 s, response timeout 10 s, 4 connections. */
  public static FeedbackSettings.Builder of(URI baseUrl, String key) {
    return FeedbackSettings.builder()
        .apiKey(key)
        .subAccountId("acme-otp")
        .baseUrl(baseUrl)
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(10))
        .maxConcurrentRequests(4);
  }
}
