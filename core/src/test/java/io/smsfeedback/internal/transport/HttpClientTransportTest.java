package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import io.smsfeedback.TransportResult;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the default transport does without a network; its HTTP behaviour is in the *IT tests. */
class HttpClientTransportTest {

  static final String KEY = "sk-live-0123456789abcdefWXYZ";

  static FeedbackSettings settings() {
    return FeedbackSettings.builder()
        .apiKey(KEY)
        .subAccountId("acme-otp")
        .baseUrl(URI.create("http://127.0.0.1:9"))
        .build();
  }

  @Test
  void userAgent_carriesTheBuildVersion() {
    assertThat(HttpClientTransport.userAgent()).matches("sms-feedback-java/\\d+\\.\\d+\\.\\d+.*");
    assertThat(HttpClientTransport.userAgent()).doesNotContain("${").doesNotContain("unknown");
  }

  @Test
  void toString_masksTheKey() {
    try (FeedbackTransport t = FeedbackTransport.http(settings())) {
      assertThat(t.toString())
          .doesNotContain(KEY)
          .contains("****WXYZ")
          .contains("http://127.0.0.1:9")
          .contains("acme-otp");
    }
  }

  @Test
  void send_afterClose_completesAtOnceAsRetryable_andCloseIsIdempotent() {
    FeedbackTransport t = HttpClientTransport.create(settings(), Clock.systemUTC());
    t.close();
    t.close();
    Feedback f =
        new Feedback(
            new SentOtp("acme-otp", UUID.randomUUID(), Instant.now()), Outcome.SUCCESS, Instant.now());
    TransportResult r = t.send(f, Duration.ofSeconds(1)).join();
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.ioError()).isEqualTo("TransportClosed");
    assertThat(t.toString()).contains("closed");
  }
}
