package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;

class SmsCodeServiceTest extends SmsCodesContractTest {

  @Override
  SmsCodes create(OttSettings settings) {
    return new SmsCodeService(settings, clock);
  }

  @Override
  int size() {
    return ((SmsCodeService) service).size();
  }

  private SmsCodeService service(int maxCodes) {
    return new SmsCodeService(settings(maxCodes), clock);
  }

  @Test
  void generate_whenFull_purgesExpiredCodesFirst() {
    SmsCodeService small = service(2);
    small.generate(new GenerateOneTimeTokenRequest("old"));
    clock.advance(Duration.ofMinutes(4));
    String bobs = small.generate(new GenerateOneTimeTokenRequest("bob")).getTokenValue();
    clock.advance(Duration.ofMinutes(2)); // old's code expired, bob's not
    small.generate(new GenerateOneTimeTokenRequest("carol"));
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.consume(new SmsCodeAuthenticationToken("bob", bobs))).isNotNull();
  }

  @Test
  void generate_whenFullOfLiveCodes_dropsTheOldest() {
    SmsCodeService small = service(2);
    String a = small.generate(new GenerateOneTimeTokenRequest("a")).getTokenValue();
    String b = small.generate(new GenerateOneTimeTokenRequest("b")).getTokenValue();
    String c = small.generate(new GenerateOneTimeTokenRequest("c")).getTokenValue();
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.consume(new SmsCodeAuthenticationToken("a", a))).isNull();
    assertThat(small.consume(new SmsCodeAuthenticationToken("b", b))).isNotNull();
    assertThat(small.consume(new SmsCodeAuthenticationToken("c", c))).isNotNull();
  }
}
