package io.smsfeedback.servlet.internal;

import io.smsfeedback.SmsSender;
import jakarta.servlet.ServletContext;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SmsSender} that {@code SmsFeedback.sendOtp} uses in a web app, as a context attribute:
 * the one the app gave ({@code SmsFeedback.useSender}), else the one a self-configured filter makes
 * from its settings on first use.
 */
public final class SenderBinding {

  public static final String ATTRIBUTE = SenderBinding.class.getName();

  private final Supplier<SmsSender> sender;

  private SenderBinding(Supplier<SmsSender> sender) {
    this.sender = sender;
  }

  /** Binds {@code sender} (the app's), replacing any binding. */
  public static void bind(ServletContext context, SmsSender sender) {
    context.setAttribute(ATTRIBUTE, new SenderBinding(() -> sender));
  }

  /** Binds a sender made on first use, unless one is bound already. */
  public static void bindIfAbsent(ServletContext context, Supplier<SmsSender> sender) {
    if (!(context.getAttribute(ATTRIBUTE) instanceof SenderBinding)) {
      context.setAttribute(ATTRIBUTE, new SenderBinding(sender));
    }
  }

  /** The bound sender, or null if there is none. */
  public static @Nullable SmsSender of(ServletContext context) {
    return context.getAttribute(ATTRIBUTE) instanceof SenderBinding b ? b.sender.get() : null;
  }
}
