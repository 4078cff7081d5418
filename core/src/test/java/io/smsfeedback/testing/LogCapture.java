package io.smsfeedback.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the tests' slf4j binding logs while open, whichever it is: slf4j-simple (core's
 * tests) writes to {@code System.err}, which is teed here ({@link #text()}, {@link #lines}) and
 * still shows on the console; slf4j-jdk14 (the filter's tests, Jetty's logs too) goes to {@code
 * java.util.logging}, whose records under one logger {@link #of} collects ({@link #records}, {@link
 * #messages}). Not for concurrent tests.
 */
public final class LogCapture implements AutoCloseable {

  /** The {@code java.util.logging} records caught, if made by {@link #of}. */
  public final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final Logger logger;
  private final Level previousLevel;
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final boolean jul;

  /** Captures {@code System.err}. */
  public LogCapture() {
    this("", false);
  }

  /** Captures {@code System.err} and the {@code java.util.logging} records of {@code loggerName}. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName, true);
  }

  private LogCapture(String loggerName, boolean jul) {
    this.jul = jul;
    this.logger = Logger.getLogger(loggerName);
    this.previousLevel = logger.getLevel();
    if (jul) {
      handler.setLevel(Level.ALL);
      logger.setLevel(Level.ALL);
      logger.addHandler(handler);
    }
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Everything written to {@code System.err} so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** How many lines written to {@code System.err} contain {@code needle}. */
  public long lines(String needle) {
    return text().lines().filter(l -> l.contains(needle)).count();
  }

  /** The records' messages (with their throwables' appended) at {@code level} or above. */
  public List<String> messages(Level level) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(LogCapture::text)
        .toList();
  }

  /** A record's message, with its throwable and causes appended. */
  public static String text(LogRecord r) {
    StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
      sb.append(" | ").append(t);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    System.setErr(original);
    if (jul) {
      logger.removeHandler(handler);
      logger.setLevel(previousLevel);
    }
  }
}
