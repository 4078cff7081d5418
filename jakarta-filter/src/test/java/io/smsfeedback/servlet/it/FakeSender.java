package io.smsfeedback.servlet.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends nothing: makes up a umid and keeps the text, as the simulator would. */
final class FakeSender implements TestApp.OtpSender {

  final List<String> umids = new CopyOnWriteArrayList<>();
  final Map<String, String> texts = new ConcurrentHashMap<>();

  @Override
  public String send(String destination, String text) {
    String umid = UUID.randomUUID().toString();
    umids.add(umid);
    texts.put(umid, text);
    return umid;
  }

  String last() {
    return umids.get(umids.size() - 1);
  }

  String codeOf(String umid) {
    return code(texts.get(umid));
  }

  static String code(String text) {
    Matcher m = Pattern.compile("(\\d{6})").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no code in " + text);
    }
    return m.group(1);
  }
}
