package io.smsfeedback.spring.internal.ott;

import io.smsfeedback.SentOtp;

/** Sends one SMS through 8x8 and answers what 8x8 accepted. */
@FunctionalInterface
public interface OtpSender {

  /**
   * Sends {@code text} to {@code destination} (E.164).
   *
   * @throws Exception when 8x8 refused it or could not be reached (the SMS may or may not be out)
   */
  SentOtp send(String destination, String text) throws Exception;
}
