package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.Feedback;
import io.smsfeedback.Outcome;
import io.smsfeedback.SentOtp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FeedbackRequestsTest {

  static final UUID UMID = UUID.fromString("5f1b7c8e-2a4d-4e6f-9a1b-0c2d3e4f5a6b");

  static Feedback feedback(String sub, Outcome outcome, String actedAt) {
    Instant at = Instant.parse(actedAt);
    return new Feedback(new SentOtp(sub, UMID, at.minusSeconds(5)), outcome, at);
  }

  @Test
  void uri_isTheDocumentedFeedbackPath() {
    URI uri =
        FeedbackRequests.uri(
            URI.create("https://sms.8x8.com"),
            feedback("acme-otp", Outcome.SUCCESS, "2026-01-01T00:00:05Z"));
    assertThat(uri.toString())
        .isEqualTo(
            "https://sms.8x8.com/api/v1/subaccounts/acme-otp/messages/"
                + UMID
                + "/feedback");
  }

  @Test
  void uri_keepsABasePathAndDropsTrailingSlashes() {
    URI uri =
        FeedbackRequests.uri(
            URI.create("http://127.0.0.1:8080/proxy/"),
            feedback("acme", Outcome.SUCCESS, "2026-01-01T00:00:05Z"));
    assertThat(uri.getRawPath())
        .isEqualTo("/proxy/api/v1/subaccounts/acme/messages/" + UMID + "/feedback");
  }

  @Test
  void uri_encodesEverySubaccountCharacterSafely() {
    URI uri =
        FeedbackRequests.uri(
            URI.create("https://sms.8x8.com"),
            feedback("A-b.c_d&9", Outcome.SUCCESS, "2026-01-01T00:00:05Z"));
    assertThat(uri.getRawPath()).startsWith("/api/v1/subaccounts/A-b.c_d&9/messages/");
    assertThat(uri.getPath()).startsWith("/api/v1/subaccounts/A-b.c_d&9/messages/");
  }

  @Test
  void encodePathSegment_percentEncodesWhatIsNotAllowedInASegment() {
    assertThat(FeedbackRequests.encodePathSegment("a/b?c#d e%f")).isEqualTo("a%2Fb%3Fc%23d%20e%25f");
    assertThat(FeedbackRequests.encodePathSegment("é")).isEqualTo("%C3%A9");
    assertThat(FeedbackRequests.encodePathSegment("..")).isEqualTo("%2E%2E");
    assertThat(FeedbackRequests.encodePathSegment("...")).isEqualTo("...");
    assertThat(FeedbackRequests.encodePathSegment("a&b=c;d")).isEqualTo("a&b=c;d");
  }

  @Test
  void body_hasTheOutcomeAndAMillisecondUtcTimestamp() {
    assertThat(FeedbackRequests.body(feedback("acme", Outcome.SUCCESS, "2026-01-01T00:00:05.123Z")))
        .isEqualTo("{\"outcome\":\"success\",\"timestamp\":\"2026-01-01T00:00:05.123Z\"}");
    assertThat(FeedbackRequests.body(feedback("acme", Outcome.FAILURE, "2026-03-04T05:06:07Z")))
        .isEqualTo("{\"outcome\":\"failure\",\"timestamp\":\"2026-03-04T05:06:07.000Z\"}");
  }

  @Test
  void bodyBytes_areTheBodyInUtf8() {
    for (Outcome outcome : Outcome.values()) {
      Feedback f = feedback("acme", outcome, "2026-07-08T09:10:11.012Z");
      assertThat(new String(FeedbackRequests.bodyBytes(f), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"outcome\":\"" + outcome.wireValue() + "\",\"timestamp\":\"2026-07-08T09:10:11.012Z\"}");
    }
  }

  @Test
  void timestamp_hasExactlyThreeFractionDigits_truncatingFinerPrecision() {
    assertThat(FeedbackRequests.timestamp(Instant.parse("2026-01-01T00:00:05.123999999Z")))
        .isEqualTo("2026-01-01T00:00:05.123Z");
    assertThat(FeedbackRequests.timestamp(Instant.parse("2026-12-31T23:59:59.9Z")))
        .isEqualTo("2026-12-31T23:59:59.900Z");
    assertThat(FeedbackRequests.timestamp(Instant.parse("2026-01-01T00:00:00Z")))
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  }

  @Test
  void timestamp_agreesWithTheIsoFormatter_overTheWholeRangeOfYears() {
    DateTimeFormatter iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    Random random = new Random(42);
    List<Instant> instants = new ArrayList<>(List.of(
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:34:56.789Z"),
        Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("-0001-12-31T23:59:59.5Z")));
    for (int i = 0; i < 10_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong() % 300_000_000_000L, random.nextInt(1_000_000_000)));
    }
    for (Instant at : instants) {
      assertThat(FeedbackRequests.timestamp(at))
          .as("%s", at)
          .isEqualTo(iso.format(at.truncatedTo(ChronoUnit.MILLIS)));
    }
  }

  @Test
  void quote_escapesPerJson() {
    assertThat(FeedbackRequests.quote("a\"b\\c\nd\te\u0001\u2028"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
    assertThat(FeedbackRequests.quote("plain")).isEqualTo("\"plain\"");
  }
}
