package io.smsfeedback.servlet.internal;

/** Request attribute names the filter and the helpers share. */
public final class Markers {

  /** Set by the first active filter instance on a request; later instances pass through. */
  public static final String FILTERED_ATTRIBUTE = "io.smsfeedback.servlet.FILTERED";

  /** The app's explicit verdict ({@link Verdict}), set through {@code SmsFeedback}. */
  public static final String VERDICT_ATTRIBUTE = "io.smsfeedback.servlet.VERDICT";

  private Markers() {}
}
