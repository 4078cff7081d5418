package io.smsfeedback.internal.transport;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields we read from 8x8's error JSON ({@code {"code":int,"message":string,"errorId":uuid,
 * "timestamp":string}}), parsed leniently: anything unreadable is simply absent; never throws.
 */
public record ErrorBody(@Nullable Integer code, @Nullable String errorId, @Nullable String message) {

  static final ErrorBody EMPTY = new ErrorBody(null, null, null);

  /** Reads the top-level {@code code}, {@code errorId} and {@code message} of a JSON object. */
  public static ErrorBody parse(@Nullable String json) {
    if (json == null || json.isBlank()) {
      return EMPTY;
    }
    try {
      return new Reader(json).readTopLevel();
    } catch (RuntimeException e) {
      return EMPTY; // never fail on a bad body
    }
  }

  /**
   * The top-level string members of a JSON object (such as {@code umid} in 8x8's send answer),
   * read as leniently as {@link #parse}: empty when nothing is readable; never throws.
   */
  public static Map<String, String> topLevelStrings(@Nullable String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    Reader reader = new Reader(json);
    try {
      reader.readTopLevel();
    } catch (RuntimeException e) {
      // keep what was read
    }
    return Map.copyOf(reader.strings);
  }

  /** A minimal JSON reader: a top-level object, nested values skipped. */
  private static final class Reader {
    private final String s;
    private int i;
    private @Nullable Integer code;
    private @Nullable String errorId;
    private @Nullable String message;
    private final Map<String, String> strings = new HashMap<>();

    Reader(String s) {
      this.s = s;
    }

    ErrorBody readTopLevel() {
      try {
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
          return result();
        }
        while (true) {
          ws();
          String key = string();
          ws();
          expect(':');
          ws();
          char c = peek();
          switch (key) {
            case "code" -> {
              if (c == '-' || (c >= '0' && c <= '9')) {
                code = integer(number());
              } else if (c == '"') {
                code = integer(string());
              } else {
                skipValue();
              }
            }
            case "errorId" -> errorId = c == '"' ? remember(key, string()) : skipToNull();
            case "message" -> message = c == '"' ? remember(key, string()) : skipToNull();
            default -> {
              if (c == '"') {
                strings.put(key, string());
              } else {
                skipValue();
              }
            }
          }
          ws();
          char sep = next();
          if (sep == '}') {
            return result();
          }
          if (sep != ',') {
            return result();
          }
        }
      } catch (IndexOutOfBoundsException | IllegalStateException e) {
        return result(); // truncated or broken: keep what we have
      }
    }

    private ErrorBody result() {
      return new ErrorBody(code, errorId, message);
    }

    private String remember(String key, String value) {
      strings.put(key, value);
      return value;
    }

    private @Nullable String skipToNull() {
      skipValue();
      return null;
    }

    private static @Nullable Integer integer(String n) {
      try {
        return Integer.valueOf(n.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private void skipValue() {
      char c = peek();
      if (c == '"') {
        string();
      } else if (c == '{' || c == '[') {
        int depth = 0;
        do {
          char d = peek();
          if (d == '"') {
            string();
            continue;
          }
          i++;
          if (d == '{' || d == '[') {
            depth++;
          } else if (d == '}' || d == ']') {
            depth--;
          }
        } while (depth > 0);
      } else {
        while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
          i++;
        }
      }
    }

    private String number() {
      int start = i;
      while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      return s.substring(start, i);
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            String hex = s.substring(i, i + 4);
            i += 4;
            try {
              sb.append((char) Integer.parseInt(hex, 16));
            } catch (NumberFormatException ex) {
              throw new IllegalStateException("bad escape");
            }
          }
          default -> sb.append(e); // \" \\ \/ and anything lenient
        }
      }
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      return s.charAt(i);
    }

    private char next() {
      return s.charAt(i++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalStateException("expected " + c);
      }
    }
  }
}
