package io.smsfeedback;

/** Whether the user converted: typed the OTP in ({@link #SUCCESS}) or not ({@link #FAILURE}). */
public enum Outcome {
  SUCCESS("success"),
  FAILURE("failure");

  private final String wire;

  Outcome(String wire) {
    this.wire = wire;
  }

  /** The value 8x8 expects in the {@code outcome} field: {@code success} or {@code failure}. */
  public String wireValue() {
    return wire;
  }
}
