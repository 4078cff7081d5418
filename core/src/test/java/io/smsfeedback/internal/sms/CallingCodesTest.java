package io.smsfeedback.internal.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallingCodesTest {

  private final CallingCodes codes = CallingCodes.itu();

  @Test
  void of_findsOneTwoAndThreeDigitCodes() {
    assertThat(codes.of("+14155550100")).isEqualTo("1");
    assertThat(codes.of("+79161234567")).isEqualTo("7");
    assertThat(codes.of("+6512345678")).isEqualTo("65");
    assertThat(codes.of("+447911123456")).isEqualTo("44");
    assertThat(codes.of("+6281234567890")).isEqualTo("62");
    assertThat(codes.of("+85291234567")).isEqualTo("852");
    assertThat(codes.of("+353861234567")).isEqualTo("353");
    assertThat(codes.of("+2348012345678")).isEqualTo("234");
  }

  @Test
  void of_returnsEmptyForUnassignedPrefix() {
    assertThat(codes.of("+2101234567")).isEmpty();
    assertThat(codes.of("+9991234567")).isEmpty();
  }

  @Test
  void table_isPrefixFreeSoAtMostOneCodeMatches() {
    for (int n = 1; n <= 999; n++) {
      String code = Integer.toString(n);
      if (codes.of(code).equals(code)) {
        for (int cut = 1; cut < code.length(); cut++) {
          assertThat(codes.of(code.substring(0, cut)))
              .as("prefix of %s", code)
              .isNotEqualTo(code.substring(0, cut));
        }
      }
    }
    assertThat(codes.size()).isGreaterThan(200);
  }
}
