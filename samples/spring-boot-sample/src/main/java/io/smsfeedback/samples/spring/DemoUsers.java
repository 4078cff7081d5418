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

  String phoneOf(String username) {
    String phone = phones.get(username);
    if (phone == null) {
      throw new IllegalArgumentException("no phone number for " + username);
    }
    return phone;
  }

  String alicePhone() {
    return phones.get(USERNAME);
  }
}
