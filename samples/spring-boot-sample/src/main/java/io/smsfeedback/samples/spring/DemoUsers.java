package io.smsfeedback.samples.spring;

import java.util.Map;

/** The demo's one user and phone number (a real app has them in its user store). */
final class DemoUsers {

  static final String USERNAME = "alice";
  static final String PASSWORD = "password";

  private final Map<String, String> phones;

  DemoUsers(String alicePhone) {
    this.phones = Map.of(USERNAME, alicePhone);
  }

  /** The user's phone number in E.164 form, or {@code null} for an unknown user. */
  String phoneOf(String username) {
    return phones.get(username);
  }

  String alicePhone() {
    return phones.get(USERNAME);
  }
}
