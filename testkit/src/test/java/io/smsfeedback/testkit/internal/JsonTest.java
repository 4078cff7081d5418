package io.smsfeedback.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON reader and the quoter. */
class JsonTest {

  @Test
  void readsEveryKindOfValue() throws Exception {
    Object value =
        Json.parse(
            " {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"n\":-12.5e+2,"
                + " \"z\":0, \"t\":true, \"f\":false, \"nul\":null, \"a\":[1,[],{}], \"o\":{}}\n");

    assertThat(value).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    assertThat(map.keySet()).containsExactly("s", "n", "z", "t", "f", "nul", "a", "o");
    assertThat(map.get("s")).isEqualTo("a\"b\\c/d\b\f\n\r\té😀");
    assertThat(map.get("n")).isEqualTo(new BigDecimal("-12.5e+2"));
    assertThat(map.get("z")).isEqualTo(BigDecimal.ZERO);
    assertThat(map.get("t")).isEqualTo(true);
    assertThat(map.get("f")).isEqualTo(false);
    assertThat(map.containsKey("nul")).isTrue();
    assertThat(map.get("nul")).isNull();
    @SuppressWarnings("unchecked")
    List<Object> array = (List<Object>) map.get("a");
    assertThat(array).containsExactly(BigDecimal.ONE, List.of(), Map.of());
  }

  @Test
  void readsScalarsAtTopLevel() throws Exception {
    assertThat(Json.parse("\"x\"")).isEqualTo("x");
    assertThat(Json.parse("null")).isNull();
    assertThat(Json.parse("0.5")).isEqualTo(new BigDecimal("0.5"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "}",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":1}{",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "NaN",
        "tru",
        "nulls",
        "\"unterminated",
        "\"bad escape \\x\"",
        "\"bad unicode \\u12g4\"",
        "\"short unicode \\u12\"",
        "\"raw\ttab\"",
        "\"raw\nnewline\"",
        "{\"a\":1,\"a\":2}",
        "// comment\n{}",
        "\ufeff{}"
      })
  void refusesMalformedJson(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(Json.ParseException.class)
        .hasMessageContaining("at position");
  }

  @Test
  void refusesDeepNesting() {
    char[] open = new char[100];
    char[] close = new char[100];
    Arrays.fill(open, '[');
    Arrays.fill(close, ']');
    String deep = new String(open) + new String(close);

    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting");
  }

  @Test
  void quote_escapesWhatJsonRequires_andRoundTrips() throws Exception {
    String text = "a\"b\\c\n\r\t\b\f\u0001\u2028é";

    String quoted = Json.quote(text);

    assertThat(quoted).isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u2028é\"");
    assertThat(Json.parse(quoted)).isEqualTo(text);
    assertThat(Json.quote(null)).isEqualTo("null");
  }
}
