package io.smsfeedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SentOtpTest {

  @Test
  void subAccountCheck_agreesWithThePublishedPattern() {
    List<String> values =
        List.of(
            "abc",
            "ab",
            "A-b.c_d&9",
            "a".repeat(50),
            "a".repeat(51),
            "",
            "a b",
            "abc\n",
            "\nabc",
            "abc/",
            "äbc",
            "ab\u0000",
            "acme-otp",
            "MyCompany_OTP",
            "x&y&z",
            "a+b");
    for (String v : values) {
      boolean expected = SentOtp.SUB_ACCOUNT_ID.matcher(v).matches();
      boolean accepted;
      try {
        new SentOtp(v, UUID.randomUUID(), Instant.EPOCH);
        accepted = true;
      } catch (IllegalArgumentException e) {
        accepted = false;
      }
      assertThat(accepted).as("%s", v.replace("\n", "\\n")).isEqualTo(expected);
    }
  }

  @Test
  void subAccountCheck_messageNamesThePattern() {
    assertThatThrownBy(() -> SentOtp.requireValidSubAccountId("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SentOtp.SUB_ACCOUNT_ID.pattern())
        .hasMessageContaining("\"a b\"");
  }
}
