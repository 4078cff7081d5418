package io.smsfeedback.spring.internal;

import io.smsfeedback.SmsSender;
import io.smsfeedback.insight.PumpingAlarm;
import io.smsfeedback.insight.SendGuard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The starter's send guard: wraps {@link SmsSender}s in a {@link SendGuard} on the one alarm and
 * allow-list, and counts their refusals together per calling code (at most one entry per country
 * that was in alarm), for the health details ({@code sendGuard}) and the counter {@code
 * sms.feedback.guard.refused}.
 */
public final class GuardRefusals implements FeedbackHealth.StoreDetails {

  private final PumpingAlarm alarm;
  private final List<String> allow;
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
  private final List<Consumer<String>> newCountry = new CopyOnWriteArrayList<>();

  public GuardRefusals(PumpingAlarm alarm, List<String> allow) {
    this.alarm = alarm;
    this.allow = List.copyOf(new TreeSet<>(allow));
  }

  /** {@code sender} behind a guard counting here; a guard already is returned as it is. */
  public SmsSender guard(SmsSender sender) {
    if (sender instanceof SendGuard) {
      return sender;
    }
    return SendGuard.builder(sender, alarm).allow(allow).onRefused(this::refused).build();
  }

  private void refused(String callingCode) {
    LongAdder n = refused.get(callingCode);
    if (n == null) {
      LongAdder fresh = new LongAdder();
      n = refused.putIfAbsent(callingCode, fresh);
      if (n == null) {
        n = fresh;
        for (Consumer<String> c : newCountry) {
          c.accept(callingCode);
        }
      }
    }
    n.increment();
  }

  /** The calling codes refused so far; {@code onNew} is told of each later one, once. */
  public List<String> countries(Consumer<String> onNew) {
    newCountry.add(onNew);
    return new ArrayList<>(refused.keySet());
  }

  /** The counter of {@code callingCode}'s refusals (created when its first refusal was counted). */
  public LongAdder counter(String callingCode) {
    return refused.computeIfAbsent(callingCode, c -> new LongAdder());
  }

  @Override
  public void addTo(Map<String, Object> details) {
    Map<String, Object> guard = new LinkedHashMap<>();
    guard.put("enabled", true);
    guard.put("allow", allow);
    List<String> refusing = new ArrayList<>();
    alarm.active().forEach(e -> {
      if (!allow.contains(e.callingCode())) {
        refusing.add(e.callingCode());
      }
    });
    guard.put("refusing", refusing);
    Map<String, Long> counts = new TreeMap<>();
    refused.forEach((code, n) -> counts.put(code, n.sum()));
    guard.put("refused", counts);
    details.put("sendGuard", guard);
  }
}
