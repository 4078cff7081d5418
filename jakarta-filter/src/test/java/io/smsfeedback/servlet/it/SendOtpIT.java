package io.smsfeedback.servlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.testkit.Browser;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.ReceivedFeedback;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code SmsFeedback.sendOtp} in real containers against the 8x8 simulator: the self-configured
 * filter's sender sends, the umid lands in the session, and the filter counts the request as a
 * send, so the usual outcomes follow with no other app code.
 */
class SendOtpIT extends SimulatorBackedApp {

  static final Duration WAIT = Duration.ofSeconds(10);

  Browser start(ServletContainer.Kind kind, WebApp app) throws Exception {
    return start(kind.create(), app);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sendOtp_sendsTracksAndTheRightCodeIsASuccess(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app("/check"));

    HttpResponse<String> sent = user.post("/send-otp");

    assertThat(sent.statusCode()).isEqualTo(200);
    UUID umid = lastUmid();
    assertThat(sent.body()).isEqualTo("sent " + umid);
    assertThat(simulator.sentMessages()).singleElement().satisfies(m -> {
      assertThat(m.destination()).isEqualTo("+6512345678");
      assertThat(m.subAccountId()).isEqualTo(SUB);
    });
    assertThat(filter().stats().sends()).isEqualTo(1);

    assertThat(user.post("/check", "code", codeOf(umid)).statusCode()).isEqualTo(200);

    ReceivedFeedback f = simulator.awaitFeedback(umid, WAIT);
    assertThat(f.outcome()).isEqualTo("success");
    assertThat(f.subAccountId()).isEqualTo(SUB);
    assertThat(filter().stats().successes()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void aSecondSendOtp_supersedesTheFirst(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app("/check"));
    user.post("/send-otp");
    UUID first = lastUmid();
    user.post("/send-otp");
    UUID second = lastUmid();

    assertThat(simulator.awaitFeedback(first, WAIT).outcome()).isEqualTo("failure");
    assertThat(filter().stats().sends()).isEqualTo(2);
    assertThat(filter().stats().superseded()).isEqualTo(1);

    user.post("/check", "code", codeOf(second));
    assertThat(simulator.awaitFeedback(second, WAIT).outcome()).isEqualTo("success");
    simulator.assertNoDuplicates();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sendOtp_withNobodyComingBack_isAFailure(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app("/check").param("sms.feedback.abandon-after", "1s"));
    user.post("/send-otp");
    UUID umid = lastUmid();

    assertThat(simulator.awaitFeedback(umid, WAIT).outcome()).isEqualTo("failure");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void aRefusedSend_leavesTheSessionsOtpAlone(ServletContainer.Kind kind) throws Exception {
    Browser user = start(kind, app("/check"));
    user.post("/send-otp");
    UUID first = lastUmid();
    simulator.enqueueSendFaults(Fault.status(400));

    HttpResponse<String> refused = user.post("/send-otp");

    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(refused.body()).isEqualTo("SmsRejectedException");
    assertThat(filter().stats().sends()).isEqualTo(1);
    assertThat(filter().stats().superseded()).isZero();
    user.post("/check", "code", codeOf(first)); // the first code still works
    assertThat(simulator.awaitFeedback(first, WAIT).outcome()).isEqualTo("success");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void anUncertainSend_isAnErrorTheAppHandles_notA500(ServletContainer.Kind kind)
      throws Exception {
    Browser user = start(kind, app("/check"));
    simulator.enqueueSendFaults(Fault.status(500));

    HttpResponse<String> uncertain = user.post("/send-otp");

    assertThat(uncertain.statusCode()).isEqualTo(504);
    assertThat(uncertain.body()).isEqualTo("SmsUncertainException");
    assertThat(filter().stats().sends()).isZero();
    assertThat(filter().stats().internalErrors()).isZero();
  }
}
