package io.smsfeedback.internal.sms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The country calling code at the start of an E.164 number, looked up in the ITU table
 * {@code calling-codes.txt} beside this class. The table is data, read once; this class is
 * immutable and thread-safe.
 */
public final class CallingCodes {

  private static final CallingCodes ITU = load("calling-codes.txt");

  private final Set<String> codes;

  private CallingCodes(Set<String> codes) {
    this.codes = Set.copyOf(codes);
  }

  /** The table of codes in service. */
  public static CallingCodes itu() {
    return ITU;
  }

  /**
   * The calling code (1 to 3 digits, no {@code +}) that starts {@code e164}, a number written as
   * {@code +} and digits; empty when no code in the table matches.
   */
  public String of(String e164) {
    String digits = e164.startsWith("+") ? e164.substring(1) : e164;
    for (int length = 1; length <= 3 && length <= digits.length(); length++) {
      String prefix = digits.substring(0, length);
      if (codes.contains(prefix)) {
        return prefix;
      }
    }
    return "";
  }

  /** Number of codes in the table. */
  public int size() {
    return codes.size();
  }

  static CallingCodes load(String resource) {
    Set<String> codes = new HashSet<>();
    try (InputStream in = CallingCodes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource: " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        int hash = line.indexOf('#');
        String data = hash >= 0 ? line.substring(0, hash) : line;
        for (String code : data.trim().split("\\s+")) {
          if (!code.isEmpty()) {
            if (!code.matches("[1-9][0-9]{0,2}") || !codes.add(code)) {
              throw new IllegalStateException("bad or repeated calling code in " + resource + ": '" + code + "'");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CallingCodes(codes);
  }
}
