package io.smsfeedback.spring.ott;

import org.jspecify.annotations.Nullable;

/**
 * Which phone number a user's sign-in codes go to. Defining a bean of this type switches on the
 * starter's SMS one-time-token login (with Spring Security's {@code oneTimeTokenLogin()}).
 *
 * <p>Called on the request thread of {@code POST /ott/generate} with the username the form
 * carried, which may name no user at all: answer {@code null} then. The user is told the same
 * either way, so the answer never shows which usernames exist.
 */
@FunctionalInterface
public interface SmsPhoneNumbers {

  /**
   * The user's phone number in E.164 form ({@code +6512345678}), or {@code null} if the user is
   * unknown or has none (no SMS is sent).
   */
  @Nullable String phoneNumber(String username);
}
