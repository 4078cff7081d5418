package io.smsfeedback.spring.internal;

import io.smsfeedback.FeedbackSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a startup failure caused by an invalid {@code sms.feedback.*} setting into Spring Boot's
 * "APPLICATION FAILED TO START" report with the core's message (which names the property and never
 * shows the API key) instead of a bean-creation stack; likewise {@code sms.feedback.store=jdbc}
 * without what it needs ({@link TrackingStores.UnavailableException}).
 */
public final class SettingsFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof TrackingStores.UnavailableException) {
        return new FailureAnalysis(
            "sms-feedback has no tracking store: " + message,
            "Add what is named above, or set "
                + TrackingStores.STORE
                + "="
                + TrackingStores.MEMORY
                + " (the default) to track OTPs in this node's memory.",
            t);
      }
      if ((t instanceof IllegalArgumentException || t instanceof NullPointerException)
          && message != null
          && message.startsWith(FeedbackSettings.PREFIX)) {
        return new FailureAnalysis(
            "Invalid sms-feedback configuration: " + message,
            "Correct the property named above, or remove sms.feedback.api-key (or set"
                + " sms.feedback.enabled=false) to run without sms-feedback.",
            t);
      }
    }
    return null;
  }
}
