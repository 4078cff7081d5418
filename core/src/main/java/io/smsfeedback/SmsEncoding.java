package io.smsfeedback;

/** The character set 8x8 uses for an SMS ({@code encoding} in its send API). */
public enum SmsEncoding {
  /** 8x8 picks GSM7 when the text fits it, else UCS2 (8x8's default). */
  AUTO,
  /** The GSM 03.38 alphabet: 160 characters per part. */
  GSM7,
  /** UTF-16: 70 characters per part, any script. */
  UCS2
}
