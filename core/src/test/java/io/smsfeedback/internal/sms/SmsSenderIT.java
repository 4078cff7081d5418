package io.smsfeedback.internal.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsEncoding;
import io.smsfeedback.SmsKeyRefusedException;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsNotSentException;
import io.smsfeedback.SmsRejectedException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.SmsUncertainException;
import io.smsfeedback.testing.LogCapture;
import io.smsfeedback.testing.LoopbackSettings;
import io.smsfeedback.testing.StuckPort;
import io.smsfeedback.testkit.Fault;
import io.smsfeedback.testkit.RecordedRequest;
import io.smsfeedback.testkit.SentMessage;
import io.smsfeedback.testkit.SimulatorExtension;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SMS sender over real loopback HTTP against the 8x8 simulator. Sends that expect an answer get
 * generous timeouts; tests of a timeout make the simulator never answer.
 */
class SmsSenderIT {

  static final String KEY = "sender-it-key-0123456789WXYZ";
  static final String NUMBER = "+6591234567";
  static final String TEXT = "Your code is 482913";
  static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

  @RegisterExtension
  final SimulatorExtension extension =
      new SimulatorExtension(SmsApiSimulator.builder().apiKey(KEY));

  SmsApiSimulator sim;
  SmsSender sender;

  /** The transport's test settings: subaccount acme-otp, generous timeouts. */
  static FeedbackSettings.Builder settings(URI baseUrl, String key) {
    return LoopbackSettings.of(baseUrl, key);
  }

  static SmsSender sender(FeedbackSettings.Builder settings) {
    return SmsSender.builder(settings.build()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  @BeforeEach
  void start() {
    sim = extension.simulator();
    sender = sender(settings(sim.baseUri(), KEY));
  }

  @AfterEach
  void stop() {
    sender.close();
  }

  List<RecordedRequest> sends() {
    return sim.requests().stream()
        .filter(r -> r.endpoint() == RecordedRequest.Endpoint.SEND_SMS)
        .toList();
  }

  @Test
  void send_postsExactly8x8sRequest() throws Exception {
    sender.send(
        SmsMessage.of(NUMBER, "Your \"code\" is 482913")
            .withSource("Acme")
            .withClientMessageId("c-1")
            .withEncoding(SmsEncoding.GSM7));

    RecordedRequest request = sends().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/api/v1/subaccounts/acme-otp/messages");
    assertThat(request.header("Authorization")).hasValue("Bearer " + KEY);
    assertThat(request.header("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(request.header("User-Agent")).hasValueSatisfying(
        v -> assertThat(v).startsWith("sms-feedback-java/"));
    assertThat(request.bodyText())
        .isEqualTo(
            "{\"destination\":\"+6591234567\",\"text\":\"Your \\\"code\\\" is 482913\","
                + "\"source\":\"Acme\",\"clientMessageId\":\"c-1\",\"encoding\":\"GSM7\"}");
  }

  @Test
  void send_leavesOutOptionalFieldsNotGiven_andUsesTheDefaultSource() throws Exception {
    sender.send(NUMBER, TEXT);
    try (SmsSender withSource =
        SmsSender.builder(settings(sim.baseUri(), KEY).build()).source("AcmeBank").build()) {
      withSource.send(NUMBER, TEXT);
    }

    assertThat(sends().get(0).bodyText())
        .isEqualTo("{\"destination\":\"+6591234567\",\"text\":\"Your code is 482913\"}");
    assertThat(sends().get(1).bodyText())
        .isEqualTo(
            "{\"destination\":\"+6591234567\",\"text\":\"Your code is 482913\","
                + "\"source\":\"AcmeBank\"}");
  }

  @Test
  void send_returnsTheUmid8x8Answered_withSubaccountSentTimeAndCallingCode() throws Exception {
    SentSms sent = sender.send(SmsMessage.of("+447700900123", TEXT).withClientMessageId("c-9"));

    SentMessage delivered = sim.sentMessages().get(0);
    assertThat(sent.umid()).isEqualTo(delivered.umid());
    assertThat(sent.subAccountId()).isEqualTo("acme-otp");
    assertThat(sent.sentAt()).isEqualTo(NOW);
    assertThat(sent.callingCode()).isEqualTo("44");
    assertThat(sent.clientMessageId()).isEqualTo("c-9");
    assertThat(sent.encoding()).isEqualTo("GSM7");
    assertThat(delivered.destination()).isEqualTo("+447700900123");
    assertThat(delivered.text()).isEqualTo(TEXT);
  }

  @Test
  void sendAsync_completesWithTheUmid() throws Exception {
    CompletableFuture<SentSms> sent = sender.sendAsync(NUMBER, "Код 482913");

    SentSms result = sent.get(30, TimeUnit.SECONDS);
    assertThat(result.umid()).isEqualTo(sim.sentMessages().get(0).umid());
    assertThat(result.encoding()).isEqualTo("UCS2");
    assertThat(result.callingCode()).isEqualTo("65");
  }

  @Test
  void send_refusesANumberThatIsNotE164_beforeAnyRequest() {
    for (String bad : List.of("6591234567", "+65 9123 4567", "+06591234567", "+123", "+999912345")) {
      SmsRejectedException e =
          catchThrowableOfType(SmsRejectedException.class, () -> sender.send(bad, TEXT));
      assertThat(e.isLocal()).as(bad).isTrue();
      assertThat(e.attempts()).isZero();
      assertThat(e.getMessage()).contains("destination").doesNotContain("9123");
    }
    assertThatThrownBy(() -> sender.send(NUMBER, "")).isInstanceOf(SmsRejectedException.class);
    assertThatThrownBy(() -> sender.send(NUMBER, "x".repeat(1601)))
        .isInstanceOf(SmsRejectedException.class)
        .hasMessageContaining("1601");
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void a400_isRejected_with8x8sCodeMessageAndErrorId() {
    SmsRejectedException e =
        catchThrowableOfType(
            SmsRejectedException.class,
            () -> sender.send(SmsMessage.of(NUMBER, "Код 1234").withEncoding(SmsEncoding.GSM7)));

    assertThat(e).isNotInstanceOf(SmsKeyRefusedException.class);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo(1004);
    assertThat(e.apiMessage()).contains("GSM7");
    assertThat(e.errorId()).matches("[0-9a-f-]{36}");
    assertThat(e.mayHaveBeenSent()).isFalse();
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.getMessage()).contains("1004", e.errorId());
    assertThat(sends()).hasSize(1);
  }

  @Test
  void a400_thatQuotesTheNumber_keepsOnlyItsLastFourDigits() {
    sim.enqueueSendFaults(
        Fault.status(
            400,
            "{\"code\":1002,\"message\":\"Invalid MSISDN: 6591234567\","
                + "\"errorId\":\"2f1a3c4e-0000-4000-8000-000000000001\","
                + "\"timestamp\":\"2026-12-03T08:00:00.00Z\"}"));

    SmsRejectedException e =
        catchThrowableOfType(SmsRejectedException.class, () -> sender.send(NUMBER, TEXT));

    assertThat(e.code()).isEqualTo(1002);
    assertThat(e.errorId()).isEqualTo("2f1a3c4e-0000-4000-8000-000000000001");
    assertThat(e.apiMessage()).endsWith("4567").doesNotContain("91234567");
    assertThat(e.getMessage()).doesNotContain("91234567");
  }

  @Test
  void a401_isTheKeyRefused_andNeverShowsTheKey() {
    try (SmsSender wrongKey = sender(settings(sim.baseUri(), "wrong-key-0123456789abcdef"))) {
      SmsKeyRefusedException e =
          catchThrowableOfType(SmsKeyRefusedException.class, () -> wrongKey.send(NUMBER, TEXT));

      assertThat(e.status()).isEqualTo(401);
      assertThat(e.code()).isEqualTo(1200);
      assertThat(e.getMessage()).contains(FeedbackSettings.API_KEY).doesNotContain("wrong-key");
      assertThat(wrongKey.toString()).doesNotContain("wrong-key");
    }
    assertThat(sim.sentMessages()).isEmpty();
  }

  @Test
  void a429WithAShortRetryAfter_isRetried_andSendsOnce() throws Exception {
    sim.enqueueSendFaults(Fault.tooManyRequests(Duration.ofSeconds(1)));

    SentSms sent = sender.send(NUMBER, TEXT);

    assertThat(sends()).extracting(RecordedRequest::status).containsExactly(429, 200);
    assertThat(sim.sentMessages()).singleElement()
        .extracting(SentMessage::umid).isEqualTo(sent.umid());
  }

  @Test
  void a429WithALongRetryAfter_isNotSent_andNotRetried() {
    sim.enqueueSendFaults(Fault.tooManyRequests(Duration.ofSeconds(60)));

    SmsNotSentException e =
        catchThrowableOfType(SmsNotSentException.class, () -> sender.send(NUMBER, TEXT));

    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(e.mayHaveBeenSent()).isFalse();
    assertThat(sends()).hasSize(1);
  }

  @Test
  void a429_retriesAtMostMaxRetriesTimes() {
    Fault busy = Fault.tooManyRequests(Duration.ZERO);
    sim.enqueueSendFaults(busy, busy, busy, busy);

    SmsNotSentException e =
        catchThrowableOfType(SmsNotSentException.class, () -> sender.send(NUMBER, TEXT));

    assertThat(e.attempts()).isEqualTo(1 + SmsSender.Builder.DEFAULT_MAX_RETRIES);
    assertThat(sends()).hasSize(1 + SmsSender.Builder.DEFAULT_MAX_RETRIES);
  }

  @Test
  void a503WithRetryAfter_isRetried_without_isNotSent() throws Exception {
    sim.enqueueSendFaults(Fault.status(503).withHeader("Retry-After", "0"));
    sender.send(NUMBER, TEXT);
    assertThat(sends()).extracting(RecordedRequest::status).containsExactly(503, 200);

    sim.reset();
    sim.enqueueSendFaults(Fault.status(503));
    SmsNotSentException e =
        catchThrowableOfType(SmsNotSentException.class, () -> sender.send(NUMBER, TEXT));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryAfter()).isNull();
    assertThat(sends()).hasSize(1);
  }

  @Test
  void a500_isUncertain_andNeverRetried() {
    sim.enqueueSendFaults(Fault.status(500));

    SmsUncertainException e =
        catchThrowableOfType(SmsUncertainException.class, () -> sender.send(NUMBER, TEXT));

    assertThat(e.status()).isEqualTo(500);
    assertThat(e.mayHaveBeenSent()).isTrue();
    assertThat(e.getMessage()).contains("may or may not have gone out");
    assertThat(sends()).hasSize(1);
  }

  @Test
  void aTimeoutAfterTheRequestWasWritten_isUncertain_andNeverRetried() {
    try (SmsSender quick =
        sender(settings(sim.baseUri(), KEY).responseTimeout(Duration.ofMillis(500)))) {
      sim.enqueueSendFaults(Fault.hang().afterProcessing());

      SmsUncertainException e =
          catchThrowableOfType(SmsUncertainException.class, () -> quick.send(NUMBER, TEXT));

      assertThat(e.mayHaveBeenSent()).isTrue();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage()).contains("may or may not have gone out");
    }
    assertThat(sends()).hasSize(1);
    assertThat(sim.sentMessages()).hasSize(1); // 8x8 did send it: retrying would send it twice
  }

  @Test
  void aConnectionClosedWithoutAnswer_isUncertain_andNeverRetried() {
    sim.enqueueSendFaults(Fault.closeBeforeAnswer());

    SmsUncertainException e =
        catchThrowableOfType(SmsUncertainException.class, () -> sender.send(NUMBER, TEXT));

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(sends()).hasSize(1);
  }

  @Test
  void aRefusedConnection_isRetried_thenNotSent() throws IOException {
    URI closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    try (SmsSender refused = sender(settings(closed, KEY));
        LogCapture logs = new LogCapture()) {
      SmsNotSentException e =
          catchThrowableOfType(SmsNotSentException.class, () -> refused.send(NUMBER, TEXT));

      assertThat(e.mayHaveBeenSent()).isFalse();
      assertThat(e.status()).isZero();
      assertThat(e.attempts()).isEqualTo(1 + SmsSender.Builder.DEFAULT_MAX_RETRIES);
      assertThat(logs.lines("retrying")).isEqualTo(SmsSender.Builder.DEFAULT_MAX_RETRIES);
    }
  }

  @Test
  void aConnectTimeout_isNotSent_andNotRetried() throws IOException {
    try (StuckPort stuck = StuckPort.open();
        SmsSender slow =
            sender(settings(stuck.baseUrl(), KEY).connectTimeout(Duration.ofMillis(300)))) {
      SmsNotSentException e =
          catchThrowableOfType(SmsNotSentException.class, () -> slow.send(NUMBER, TEXT));

      assertThat(e.mayHaveBeenSent()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
    }
  }

  @Test
  void logs_neverShowTheTextTheKeyOrMoreThanTheLastFourDigits() throws Exception {
    sim.enqueueSendFaults(Fault.tooManyRequests(Duration.ZERO), Fault.status(500));
    String logged;
    try (LogCapture logs = new LogCapture()) {
      assertThatThrownBy(() -> sender.send(NUMBER, TEXT))
          .isInstanceOf(SmsUncertainException.class); // a retry, then an uncertain answer
      sender.send(NUMBER, TEXT); // accepted
      assertThatThrownBy(() -> sender.send(SmsMessage.of(NUMBER, TEXT).withSource("A-B")))
          .isInstanceOf(SmsRejectedException.class); // 8x8 refuses the source
      logged = logs.text();
    }

    assertThat(logged.lines().filter(l -> l.contains("+******4567")))
        .anySatisfy(l -> assertThat(l).contains("retrying"))
        .anySatisfy(l -> assertThat(l).contains("may or may not"))
        .anySatisfy(l -> assertThat(l).contains("accepted"))
        .anySatisfy(l -> assertThat(l).contains("refused"));
    assertThat(logged).doesNotContain("91234567", "482913", KEY);
  }

  @Test
  void toStrings_neverShowTheTextTheKeyOrTheNumber() {
    SmsMessage message = SmsMessage.of(NUMBER, TEXT);

    assertThat(message.toString()).contains("+******4567").doesNotContain("91234567", "482913");
    assertThat(sender.toString()).doesNotContain(KEY).contains("acme-otp");
  }

  @Test
  void close_leavesNoThreadOfTheSenderRunning() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    SmsSender own = sender(settings(sim.baseUri(), KEY));
    own.send(NUMBER, TEXT);
    List<Thread> started =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.getName().startsWith("sms-feedback-"))
            .toList();
    assertThat(started).extracting(Thread::getName)
        .anySatisfy(n -> assertThat(n).startsWith("sms-feedback-http-"))
        .anySatisfy(n -> assertThat(n).startsWith("sms-feedback-sms-timer-"));

    own.close();
    sender.close(); // the fixture's client may start its threads late: they are among "started"

    assertThat(started).noneMatch(Thread::isAlive);
  }
}
