package io.smsfeedback.internal.sms;

import org.jspecify.annotations.Nullable;

/** E.164 checks and masking of phone numbers for logs and messages. */
public final class PhoneNumbers {

  private PhoneNumbers() {}

  /**
   * Why {@code number} is not E.164 ({@code +}, then 7 to 15 digits, starting with a calling code
   * in {@link CallingCodes#itu()}), or null if it is.
   */
  public static @Nullable String problem(String number) {
    int n = number.length();
    if (n < 8 || n > 16 || number.charAt(0) != '+' || number.charAt(1) == '0') {
      return "must be E.164: '+', then 7 to 15 digits, the first not 0";
    }
    for (int i = 1; i < n; i++) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        return "must be E.164: '+', then 7 to 15 digits, the first not 0";
      }
    }
    if (CallingCodes.itu().of(number).isEmpty()) {
      return "does not start with a country calling code in service";
    }
    return null;
  }

  /**
   * The number with every digit but the last four replaced by {@code *}: {@code +********5678}.
   * Any other character is also masked; a number of four characters or fewer is fully masked.
   */
  public static String mask(String number) {
    int n = number.length();
    StringBuilder sb = new StringBuilder(n);
    int keepFrom = n > 4 ? n - 4 : n;
    for (int i = 0; i < n; i++) {
      char c = number.charAt(i);
      if (i == 0 && c == '+') {
        sb.append('+');
      } else {
        sb.append(i >= keepFrom && c >= '0' && c <= '9' ? c : '*');
      }
    }
    return sb.toString();
  }

  /** {@code text} with every occurrence of {@code number} (also without its {@code +}) masked. */
  public static String scrub(String text, String number) {
    String digits = number.startsWith("+") ? number.substring(1) : number;
    if (digits.length() < 5) {
      return text;
    }
    String masked = mask(number);
    return text.replace(number, masked).replace(digits, masked.substring(masked.length() - digits.length()));
  }
}
