package io.smsfeedback.servlet.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures java.util.logging records (slf4j-jdk14 routes ours and Jetty's there in tests). */
public final class LogCapture extends Handler implements AutoCloseable {

  public final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final Level previous;

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    this.previous = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** Formatted messages (with the thrown's messages appended) at {@code level} or above. */
  public List<String> messages(Level level) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(LogCapture::text)
        .toList();
  }

  public static String text(LogRecord r) {
    StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
      sb.append(" | ").append(t);
    }
    return sb.toString();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
