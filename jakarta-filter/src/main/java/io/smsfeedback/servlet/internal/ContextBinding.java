package io.smsfeedback.servlet.internal;

import jakarta.servlet.ServletContext;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * What {@code SmsFeedback.remember} needs to know about the filter of its web app: the session
 * attribute, the default subaccount and the clock. Published as a context attribute by the first
 * filter instance to initialise.
 */
public record ContextBinding(String sessionAttribute, @Nullable String subAccountId, Clock clock) {

  public static final String ATTRIBUTE = ContextBinding.class.getName();

  public static @Nullable ContextBinding of(@Nullable ServletContext context) {
    if (context == null) {
      return null;
    }
    return context.getAttribute(ATTRIBUTE) instanceof ContextBinding b ? b : null;
  }

  /** Publishes this binding unless one is already there. */
  public void publish(ServletContext context) {
    if (of(context) == null) {
      context.setAttribute(ATTRIBUTE, this);
    }
  }
}
