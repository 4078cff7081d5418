package io.smsfeedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.TransportResult.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportResultTest {

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void anyTwoHundred_isDelivered(int status) {
    assertThat(TransportResult.ofStatus(status).kind()).isEqualTo(Kind.DELIVERED);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504, 507, 520, 599})
  void transientStatuses_areRetryable(int status) {
    assertThat(TransportResult.ofStatus(status).kind()).isEqualTo(Kind.RETRYABLE);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 451, 499, 501, 505})
  void otherStatuses_areRejected(int status) {
    assertThat(TransportResult.ofStatus(status).kind()).isEqualTo(Kind.REJECTED);
  }

  @Test
  void retryAfter_isKeptForRetryableOnly_andNeverNegative() {
    assertThat(TransportResult.ofStatus(429, Duration.ofSeconds(3), null, null, null).retryAfter())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(TransportResult.ofStatus(503, Duration.ofSeconds(-3), null, null, null).retryAfter())
        .isEqualTo(Duration.ZERO);
    assertThat(TransportResult.ofStatus(400, Duration.ofSeconds(3), null, null, null).retryAfter())
        .isNull();
  }

  @Test
  void ioError_isRetryableWithoutStatus() {
    TransportResult r = TransportResult.ioError("ConnectException");
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.status()).isZero();
    assertThat(r.statusClass()).isEqualTo("io");
    assertThat(r.describe()).isEqualTo("ConnectException");
  }

  @Test
  void errorDetails_areBoundedAndCleaned() {
    TransportResult r =
        TransportResult.ofStatus(400, null, 1000, "id\n1", "m".repeat(500) + "\u0000");
    assertThat(r.errorCode()).isEqualTo(1000);
    assertThat(r.errorId()).isEqualTo("id?1");
    assertThat(r.errorMessage()).hasSize(203).endsWith("...");
    assertThat(r.describe()).isEqualTo("HTTP 400 (code 1000)");
    assertThat(r.statusClass()).isEqualTo("4xx");
  }

  @Test
  void authFailures_are401And403() {
    assertThat(TransportResult.ofStatus(401).isAuthFailure()).isTrue();
    assertThat(TransportResult.ofStatus(403).isAuthFailure()).isTrue();
    assertThat(TransportResult.ofStatus(400).isAuthFailure()).isFalse();
  }

  @Test
  void invalidStatuses_areRefused() {
    assertThatThrownBy(() -> TransportResult.ofStatus(600)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportResult.delivered(404)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueSemantics() {
    assertThat(TransportResult.ofStatus(503)).isEqualTo(TransportResult.ofStatus(503))
        .hasSameHashCodeAs(TransportResult.ofStatus(503))
        .isNotEqualTo(TransportResult.ofStatus(502));
    assertThat(TransportResult.ofStatus(429, Duration.ofSeconds(1), null, null, null).toString())
        .contains("RETRYABLE", "HTTP 429", "retryAfter=PT1S");
  }
}
