package io.smsfeedback.insight;

import io.smsfeedback.SentSms;
import io.smsfeedback.SmsGuardedException;
import io.smsfeedback.SmsMessage;
import io.smsfeedback.SmsSendException;
import io.smsfeedback.SmsSender;
import io.smsfeedback.internal.LogOnce;
import io.smsfeedback.internal.sms.CallingCodes;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SmsSender} that refuses new sends to a country while the {@link PumpingAlarm} has it in
 * alarm (preview): {@link #send} throws, and {@link #sendAsync} completes with, an {@link
 * SmsGuardedException} before any request, so the bots' SMS are not paid for while the alarm lasts.
 * Calling codes on the allow-list are never refused; neither is a number whose calling code is not
 * in alarm. Every other call goes to the sender it wraps.
 *
 * <p>Refuse only, no rate limit: the alarm is raised by a conversion collapse, so most sends to the
 * country are bots'; a rate limit would still pay for a share of them and make honest users wait in
 * line behind the bots. The alarm clears by itself ({@code clearAfter} without a sign), so sends
 * resume and the alarm judges the fresh traffic again (RATIONALE.md, "The send guard").
 *
 * <p>Refusals are counted per calling code (at most one entry per country that was in alarm, so
 * bounded by the statistics' rows). Thread-safe; closing the guard closes the sender it wraps.
 */
public final class SendGuard implements SmsSender {

  private static final Logger LOG = LoggerFactory.getLogger(SendGuard.class);

  private final SmsSender sender;
  private final PumpingAlarm alarm;
  private final Set<String> allowed;
  private final @Nullable Consumer<String> onRefused;
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final LogOnce logOnce = new LogOnce(LOG);

  private SendGuard(Builder b) {
    this.sender = b.sender;
    this.alarm = b.alarm;
    this.allowed = Collections.unmodifiableSet(new TreeSet<>(b.allowed));
    this.onRefused = b.onRefused;
  }

  /** A guard in front of {@code sender}, watching {@code alarm}. */
  public static Builder builder(SmsSender sender, PumpingAlarm alarm) {
    return new Builder(sender, alarm);
  }

  @Override
  public SentSms send(SmsMessage message) throws SmsSendException {
    SmsGuardedException refused = refusal(message);
    if (refused != null) {
      throw refused;
    }
    return sender.send(message);
  }

  @Override
  public CompletableFuture<SentSms> sendAsync(SmsMessage message) {
    SmsGuardedException refused;
    try {
      refused = refusal(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return refused != null ? CompletableFuture.failedFuture(refused) : sender.sendAsync(message);
  }

  /** The refusal of {@code message}, counted, or null if it may go. */
  private @Nullable SmsGuardedException refusal(SmsMessage message) {
    String code = CallingCodes.itu().of(message.destination());
    if (code.isEmpty() || allowed.contains(code) || !inAlarm(code)) {
      return null; // an invalid number is the sender's to refuse, with its own message
    }
    refusals.computeIfAbsent(code, c -> new LongAdder()).increment();
    if (onRefused != null) {
      try {
        onRefused.accept(code);
      } catch (RuntimeException e) {
        logOnce.warn("onRefused", "sms-feedback: the send guard's refusal callback failed", e);
      }
    }
    return new SmsGuardedException(code);
  }

  private boolean inAlarm(String code) {
    for (AlarmEvent e : alarm.active()) {
      if (e.callingCode().equals(code)) {
        return true;
      }
    }
    return false;
  }

  /** Whether sends to {@code callingCode} are refused now. */
  public boolean refuses(String callingCode) {
    return !allowed.contains(callingCode) && inAlarm(callingCode);
  }

  /** Refused sends per calling code since the guard was built, sorted by code; immutable. */
  public Map<String, Long> refusals() {
    Map<String, Long> out = new TreeMap<>();
    refusals.forEach((code, n) -> out.put(code, n.sum()));
    return Collections.unmodifiableMap(out);
  }

  /** The calling codes never refused. */
  public Set<String> allowed() {
    return allowed;
  }

  /** The sender this guard wraps. */
  public SmsSender sender() {
    return sender;
  }

  @Override
  public String subAccountId() {
    return sender.subAccountId();
  }

  @Override
  public void close() {
    sender.close();
  }

  @Override
  public String toString() {
    return "SendGuard{allowed=" + allowed + ", refusals=" + refusals() + ", sender=" + sender + '}';
  }

  /** Builds a {@link SendGuard}. Not thread-safe. */
  public static final class Builder {

    private final SmsSender sender;
    private final PumpingAlarm alarm;
    private Set<String> allowed = Set.of();
    private @Nullable Consumer<String> onRefused;

    private Builder(SmsSender sender, PumpingAlarm alarm) {
      this.sender = Objects.requireNonNull(sender, "sender");
      this.alarm = Objects.requireNonNull(alarm, "alarm");
    }

    /**
     * Calling codes never refused, even in alarm: digits without {@code +}, 1 to 3 of them
     * (e.g. {@code "65"}). Default: none.
     *
     * @throws IllegalArgumentException naming the first code that is not 1 to 3 digits
     */
    public Builder allow(Collection<String> callingCodes) {
      Set<String> codes = new TreeSet<>();
      for (String code : Objects.requireNonNull(callingCodes, "callingCodes")) {
        codes.add(checkCallingCode(code));
      }
      this.allowed = codes;
      return this;
    }

    /**
     * Called with the calling code of each refused send, on the sending thread (for a metric, say);
     * its exceptions are logged once and otherwise ignored.
     */
    public Builder onRefused(@Nullable Consumer<String> onRefused) {
      this.onRefused = onRefused;
      return this;
    }

    public SendGuard build() {
      return new SendGuard(this);
    }
  }

  /**
   * {@code code} if it is a calling code as the guard takes it: 1 to 3 digits without {@code +}.
   *
   * @throws IllegalArgumentException quoting it otherwise
   */
  public static String checkCallingCode(@Nullable String code) {
    if (code == null || !code.matches("[1-9][0-9]{0,2}")) {
      throw new IllegalArgumentException(
          "a calling code must be 1 to 3 digits without '+', the first not 0: '" + code + "'");
    }
    return code;
  }
}
