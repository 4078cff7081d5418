package io.smsfeedback.internal.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

  @Test
  void mask_keepsThePlusAndTheLastFourDigitsOnly() {
    assertThat(PhoneNumbers.mask("+6591234567")).isEqualTo("+******4567");
    assertThat(PhoneNumbers.mask("6591234567")).isEqualTo("******4567");
    assertThat(PhoneNumbers.mask("+65 9123 4567")).isEqualTo("+********4567");
    assertThat(PhoneNumbers.mask("1234")).isEqualTo("****");
    assertThat(PhoneNumbers.mask("+12ab5678")).isEqualTo("+****5678");
    assertThat(PhoneNumbers.mask("")).isEmpty();
  }

  @Test
  void problem_acceptsOnlyE164WithACallingCodeInService() {
    assertThat(PhoneNumbers.problem("+6591234567")).isNull();
    assertThat(PhoneNumbers.problem("+12025550308")).isNull();
    assertThat(PhoneNumbers.problem("+2901234")).isNull(); // 7 digits: Saint Helena
    assertThat(PhoneNumbers.problem("+123456789012345")).isNull(); // 15 digits
    assertThat(PhoneNumbers.problem("+1234567890123456")).contains("E.164"); // 16
    assertThat(PhoneNumbers.problem("+290123")).contains("E.164"); // 6
    assertThat(PhoneNumbers.problem("6591234567")).contains("E.164");
    assertThat(PhoneNumbers.problem("+06591234567")).contains("E.164");
    assertThat(PhoneNumbers.problem("+65 91234567")).contains("E.164");
    assertThat(PhoneNumbers.problem("+999912345")).contains("calling code");
  }

  @Test
  void scrub_masksTheNumberWithOrWithoutItsPlus() {
    assertThat(PhoneNumbers.scrub("Invalid MSISDN +6591234567", "+6591234567"))
        .isEqualTo("Invalid MSISDN +******4567");
    assertThat(PhoneNumbers.scrub("Invalid MSISDN: 6591234567.", "+6591234567"))
        .isEqualTo("Invalid MSISDN: ******4567.");
  }
}
