package io.smsfeedback.benchmarks.support;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Settings and data shared by the benchmarks and the harness. */
public final class Fixtures {

  public static final String API_KEY = "test-api-key";
  public static final String SUB_ACCOUNT = "bench-otp";

  private Fixtures() {}

  /** Settings for a reporter/tracker whose transport is replaced (the URL is never called). */
  public static FeedbackSettings.Builder settings() {
    return FeedbackSettings.builder()
        .apiKey(API_KEY)
        .subAccountId(SUB_ACCOUNT)
        .baseUrl(URI.create("http://127.0.0.1:9"));
  }

  /** A distinct, cheap umid (no SecureRandom): {@code seed} and {@code i} make it unique. */
  public static UUID umid(long seed, long i) {
    // version-4 / IETF variant bits, so it looks like what 8x8 returns
    long msb = (seed << 16) | 0x4000L | (i >>> 48 & 0x0fffL);
    long lsb = 0x8000_0000_0000_0000L | (i & 0x3fff_ffff_ffff_ffffL);
    return new UUID(msb, lsb);
  }

  public static SentOtp[] otps(long seed, int n, Instant sentAt) {
    SentOtp[] otps = new SentOtp[n];
    for (int i = 0; i < n; i++) {
      otps[i] = new SentOtp(SUB_ACCOUNT, umid(seed, i), sentAt);
    }
    return otps;
  }

  public static Feedback[] feedbacks(long seed, int n, Instant sentAt) {
    Feedback[] feedbacks = new Feedback[n];
    SentOtp[] otps = otps(seed, n, sentAt);
    for (int i = 0; i < n; i++) {
      feedbacks[i] = new Feedback(otps[i], Outcome.SUCCESS, sentAt);
    }
    return feedbacks;
  }
}
