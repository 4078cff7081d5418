package io.smsfeedback.spring.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counter {@code sms.feedback.guard.refused}, tag {@code country} (a calling code): sends the
 * send guard refused. A country's counter is registered at its first refusal; only countries that
 * were in alarm are refused, so the series are bounded by the statistics' rows.
 */
public final class GuardMeters implements MeterBinder {

  /** The counter's name. */
  public static final String REFUSED = "sms.feedback.guard.refused";

  private final GuardRefusals refusals;

  public GuardMeters(GuardRefusals refusals) {
    this.refusals = refusals;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String code : refusals.countries(code -> register(registry, code))) {
      register(registry, code);
    }
  }

  private void register(MeterRegistry registry, String callingCode) {
    FunctionCounter.builder(REFUSED, refusals.counter(callingCode), LongAdder::sum)
        .tag("country", callingCode)
        .description("OTP sends the send guard refused while the country was in a pumping alarm")
        .register(registry);
  }
}
