package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.SmsUncertainException;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.spring.SmsFeedbackProperties;
import io.smsfeedback.testing.ManualClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;

@ExtendWith(OutputCaptureExtension.class)
class SmsCodeGenerationSuccessHandlerTest {

  private static final String PHONE = "+6512345678";
  private static final UUID UMID = UUID.fromString("3f2b1f0e-8a44-4c1b-9e7a-2f5f4d1c0b9a");

  private static final OttSettings SETTINGS = OttSettings.from(new SmsFeedbackProperties.Ott());

  private final SmsCodeService codes = new SmsCodeService(SETTINGS, new ManualClock());
  private final List<String> sent = new ArrayList<>();
  private boolean failing;

  private final SmsSender sender =
      new SmsSender() {
        @Override
        public SentSms send(SmsMessage message) throws SmsSendException {
          if (failing) {
            throw new SmsUncertainException("8x8 answered 500", 1, 500);
          }
          sent.add(message.destination() + " " + message.text());
          return new SentSms(
              new SentOtp("acme_otp", UMID, Instant.parse("2026-01-01T00:00:00Z")), "65", null, null);
        }

        @Override
        public CompletableFuture<SentSms> sendAsync(SmsMessage message) {
          throw new UnsupportedOperationException();
        }

        @Override
        public String subAccountId() {
          return "acme_otp";
        }

        @Override
        public void close() {}
      };

  private final SmsCodeGenerationSuccessHandler handler =
      new SmsCodeGenerationSuccessHandler(
          username -> username.equals("alice") ? PHONE : null,
          sender,
          SETTINGS,
          codes);

  private MockHttpServletResponse handle(MockHttpServletRequest request, String username)
      throws IOException {
    OneTimeToken token = codes.generate(new GenerateOneTimeTokenRequest(username));
    MockHttpServletResponse response = new MockHttpServletResponse();
    handler.handle(request, response, token);
    return response;
  }

  @Test
  void sendsTheCodeRemembersTheUmidAndTheUserAndRedirectsToTheCodePage() throws IOException {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/ott/generate");
    MockHttpServletResponse response = handle(request, "alice");
    assertThat(sent).singleElement().asString().matches("\\+6512345678 Your code is [0-9]{6}");
    assertThat(response.getRedirectedUrl()).isEqualTo("/login/ott");
    assertThat(request.getSession().getAttribute(FilterSettings.DEFAULT_SESSION_ATTRIBUTE))
        .isInstanceOfSatisfying(SentOtp.class, otp -> assertThat(otp.umid()).isEqualTo(UMID));
    assertThat(request.getSession().getAttribute(UsernameBindingConverter.USERNAME_ATTRIBUTE))
        .isEqualTo("alice");
  }

  @Test
  void userWithoutPhone_getsTheSameRedirectNoSmsAndNoCode() throws IOException {
    MockHttpServletResponse response = handle(new MockHttpServletRequest(), "mallory");
    assertThat(response.getRedirectedUrl()).isEqualTo("/login/ott");
    assertThat(sent).isEmpty();
    assertThat(codes.size()).isZero();
  }

  @Test
  void sendFailure_redirectsWithAFlagCountsDropsTheCodeAndWarnsOncePerRun(CapturedOutput output)
      throws IOException {
    failing = true;
    for (int i = 0; i < 3; i++) {
      MockHttpServletRequest request = new MockHttpServletRequest();
      assertThat(handle(request, "alice").getRedirectedUrl()).isEqualTo("/login?sms-failed");
      assertThat(request.getSession().getAttribute(FilterSettings.DEFAULT_SESSION_ATTRIBUTE))
          .isNull();
    }
    assertThat(handler.sendFailures()).isEqualTo(3);
    assertThat(codes.size()).isZero();
    assertThat(warnings(output)).hasSize(1);

    failing = false;
    handle(new MockHttpServletRequest(), "alice");
    failing = true;
    handle(new MockHttpServletRequest(), "alice");
    assertThat(warnings(output)).as("a new run of failures warns again").hasSize(2);
    assertThat(output.getAll()).doesNotContain(PHONE).doesNotContain("Your code is");
  }

  private static List<String> warnings(CapturedOutput output) {
    return Arrays.stream(output.getAll().split("\\R"))
        .filter(l -> l.contains("WARN") && l.contains("Could not send a sign-in code"))
        .toList();
  }
}
