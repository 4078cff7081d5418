package io.smsfeedback.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.SentOtp;
import io.smsfeedback.SentSms;
import io.smsfeedback.SmsGuardedException;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSender;
import io.smsfeedback.internal.sms.CallingCodes;
import io.smsfeedback.testing.LogCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The send guard in front of a counting sender, with an alarm whose active list the test sets. */
class SendGuardTest {

  private static final String SINGAPORE = "+6591234567";
  private static final String UK = "+447700900123";
  private static final String INVALID = "+0123";

  /** Counts sends; answers each with a fresh umid. */
  private static final class CountingSender implements SmsSender {
    final List<String> sent = new CopyOnWriteArrayList<>();
    boolean closed;

    @Override
    public SentSms send(SmsMessage message) {
      sent.add(message.destination());
      return new SentSms(
          new SentOtp("acme", UUID.randomUUID(), Instant.EPOCH),
          CallingCodes.itu().of(message.destination()),
          null,
          null);
    }

    @Override
    public CompletableFuture<SentSms> sendAsync(SmsMessage message) {
      return CompletableFuture.completedFuture(send(message));
    }

    @Override
    public String subAccountId() {
      return "acme";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** An alarm whose active countries the test sets. */
  private static final class SetAlarm implements PumpingAlarm {
    volatile List<AlarmEvent> active = List.of();

    void raise(String... codes) {
      List<AlarmEvent> events = new ArrayList<>();
      for (String code : codes) {
        events.add(
            new AlarmEvent(
                code, AlarmEvent.Reason.CONVERSION_DROP, Instant.EPOCH, 40, 40, 0, 0.09, 0.6));
      }
      active = List.copyOf(events);
    }

    @Override
    public void check() {}

    @Override
    public List<AlarmEvent> active() {
      return active;
    }
  }

  private final CountingSender sender = new CountingSender();
  private final SetAlarm alarm = new SetAlarm();

  @Test
  void aCountryInAlarm_isRefusedBeforeAnyRequest_andCounted() {
    List<String> told = new CopyOnWriteArrayList<>();
    SendGuard guard = SendGuard.builder(sender, alarm).onRefused(told::add).build();
    alarm.raise("65");

    assertThatThrownBy(() -> guard.send(SINGAPORE, "code 123456"))
        .isInstanceOf(SmsGuardedException.class)
        .hasMessage(
            "SMS to calling code +65 refused by the send guard: the country is in a pumping alarm")
        .satisfies(
            e -> {
              SmsGuardedException g = (SmsGuardedException) e;
              assertThat(g.callingCode()).isEqualTo("65");
              assertThat(g.mayHaveBeenSent()).isFalse();
              assertThat(g.attempts()).isZero();
            });
    assertThatThrownBy(() -> guard.sendAsync(SINGAPORE, "code 1").get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SmsGuardedException.class);

    assertThat(sender.sent).isEmpty();
    assertThat(guard.refusals()).isEqualTo(Map.of("65", 2L));
    assertThat(told).containsExactly("65", "65");
    assertThat(guard.refuses("65")).isTrue();
  }

  @Test
  void otherCountries_andCountriesOutOfAlarm_goThrough() throws Exception {
    SendGuard guard = SendGuard.builder(sender, alarm).build();
    guard.send(SINGAPORE, "code 1");
    alarm.raise("65");
    guard.send(UK, "code 2");
    alarm.raise(); // cleared
    guard.send(SINGAPORE, "code 3");

    assertThat(sender.sent).containsExactly(SINGAPORE, UK, SINGAPORE);
    assertThat(guard.refusals()).isEmpty();
  }

  @Test
  void theAllowList_isNeverRefused() throws Exception {
    SendGuard guard = SendGuard.builder(sender, alarm).allow(List.of("65")).build();
    alarm.raise("65", "44");

    guard.send(SINGAPORE, "code 1");
    assertThatThrownBy(() -> guard.send(UK, "code 2")).isInstanceOf(SmsGuardedException.class);

    assertThat(sender.sent).containsExactly(SINGAPORE);
    assertThat(guard.refusals()).isEqualTo(Map.of("44", 1L));
    assertThat(guard.allowed()).containsExactly("65");
    assertThat(guard.refuses("65")).isFalse();
  }

  @Test
  void anInvalidNumber_isLeftToTheSender() throws Exception {
    SendGuard guard = SendGuard.builder(sender, alarm).build();
    alarm.raise("65");
    guard.send(INVALID, "code");
    assertThat(sender.sent).containsExactly(INVALID);
  }

  @Test
  void aFailingCallback_isLoggedOnce_andTheRefusalStands() {
    SendGuard guard =
        SendGuard.builder(sender, alarm)
            .onRefused(
                code -> {
                  throw new IllegalStateException("meter registry gone");
                })
            .build();
    alarm.raise("65");
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> guard.send(SINGAPORE, "code"))
            .isInstanceOf(SmsGuardedException.class);
      }
      assertThat(log.lines("the send guard's refusal callback failed")).isEqualTo(1);
    }
    assertThat(guard.refusals()).isEqualTo(Map.of("65", 3L));
  }

  @Test
  void theAllowList_takesOnlyCallingCodes_namingTheBadOne() {
    assertThatThrownBy(() -> SendGuard.builder(sender, alarm).allow(List.of("65", "+44")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'+44'");
    assertThatThrownBy(() -> SendGuard.builder(sender, alarm).allow(List.of("1234")))
        .hasMessageContaining("'1234'");
  }

  @Test
  void closingTheGuard_closesTheSender() {
    SendGuard guard = SendGuard.builder(sender, alarm).build();
    guard.close();
    assertThat(sender.closed).isTrue();
    assertThat(guard.subAccountId()).isEqualTo("acme");
  }
}
