package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorBodyTest {

  @Test
  void readsEightByEightsErrorFields() {
    ErrorBody b =
        ErrorBody.parse(
            "{\"code\":1002,\"message\":\"Invalid umid\",\"errorId\":"
                + "\"8f0e6a1c-1111-4222-8333-944455556666\",\"timestamp\":\"2026-01-01T00:00:00Z\"}");
    assertThat(b.code()).isEqualTo(1002);
    assertThat(b.message()).isEqualTo("Invalid umid");
    assertThat(b.errorId()).isEqualTo("8f0e6a1c-1111-4222-8333-944455556666");
  }

  @Test
  void skipsNestedValuesAndUnescapesStrings() {
    ErrorBody b =
        ErrorBody.parse(
            " { \"details\": {\"a\": [1, {\"code\": 5}], \"s\": \"}\"}, \"message\": \"a \\\"q\\\""
                + " \\u00e9\\n\", \"code\": \"401\" } ");
    assertThat(b.code()).isEqualTo(401);
    assertThat(b.message()).isEqualTo("a \"q\" é\n");
    assertThat(b.errorId()).isNull();
  }

  @Test
  void keepsWhatItReadBeforeABreak() {
    ErrorBody b = ErrorBody.parse("{\"code\":400,\"message\":\"trunc");
    assertThat(b.code()).isEqualTo(400);
    assertThat(b.message()).isNull();
  }

  @Test
  void wrongTypes_areAbsent() {
    ErrorBody b = ErrorBody.parse("{\"code\":true,\"message\":42,\"errorId\":null}");
    assertThat(b).isEqualTo(new ErrorBody(null, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "[1,2]", "<html>Bad gateway</html>", "{", "{\"code\"",
      "{\"code\":99999999999}", "\"text\"", "{\"message\":\"\\u12\"}"})
  void garbage_neverThrows(String body) {
    ErrorBody b = ErrorBody.parse(body);
    assertThat(b.code()).isNull();
  }

  @Test
  void hugeBody_isHandled() {
    String body = "{\"message\":\"" + "x".repeat(100_000) + "\",\"code\":7}";
    assertThat(ErrorBody.parse(body).code()).isEqualTo(7);
  }

  @Test
  void topLevelStrings_readsTheSendAnswersStringMembers_andSkipsNestedOnes() {
    assertThat(
            ErrorBody.topLevelStrings(
                "{\"umid\":\"0a1b\",\"status\":{\"state\":\"queued\"},\"code\":5,"
                    + "\"encoding\":\"GSM7\",\"message\":\"m\"}"))
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("umid", "0a1b", "encoding", "GSM7", "message", "m"));
    assertThat(ErrorBody.topLevelStrings("{\"umid\":\"0a")).isEmpty();
    assertThat(ErrorBody.topLevelStrings("not json")).isEmpty();
    assertThat(ErrorBody.topLevelStrings(null)).isEmpty();
  }
}
