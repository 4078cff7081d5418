package io.smsfeedback.testkit;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulator until the process is stopped (Ctrl-C / SIGTERM close it cleanly):
 *
 * <pre>
 * java -jar sms-feedback-testkit.jar [--port N] [--api-key K]
 * </pre>
 *
 * <p>The first line printed is {@code SmsApiSimulator listening on http://127.0.0.1:PORT}. Bad
 * arguments exit with status 2, a port that cannot be bound with status 1.
 */
public final class SimulatorMain {

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar sms-feedback-testkit.jar [--port N] [--api-key KEY]",
          "",
          "Serves a simulated 8x8 SMS API on 127.0.0.1 until stopped (Ctrl-C).",
          "  --port N        port to listen on, 0..65535 (default 0: a free port)",
          "  --api-key KEY   API key accepted as 'Authorization: Bearer KEY'"
              + " (default " + SmsApiSimulator.DEFAULT_API_KEY + ")",
          "  --help          print this help",
          "",
          "Endpoints: POST /api/v1/subaccounts/{subAccountId}/messages/{umid}/feedback,",
          "POST /api/v1/subaccounts/{subAccountId}/messages, GET / (dashboard),",
          "GET /api/feedback, GET /api/messages[?destination=...].");

  private SimulatorMain() {}

  /** Parsed command line. */
  record Options(int port, String apiKey, boolean help) {}

  /** A command line that cannot be used; the message says why. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Entry point; see the class description. */
  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(USAGE);
      return;
    }
    SmsApiSimulator simulator;
    try {
      simulator = SmsApiSimulator.builder().port(options.port()).apiKey(options.apiKey()).build();
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage() + causeOf(e));
      System.exit(1);
      return;
    }
    PrintStream out = System.out;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  out.println("SmsApiSimulator stopped");
                  out.flush();
                  stopped.countDown();
                },
                "sms-sim-shutdown"));
    // one write, so that a SIGTERM right after the first line cannot cut the banner in half
    String nl = System.lineSeparator();
    out.print(
        "SmsApiSimulator listening on "
            + simulator.baseUrl()
            + nl
            + "API key: "
            + (options.apiKey().equals(SmsApiSimulator.DEFAULT_API_KEY)
                ? options.apiKey() + " (the default)"
                : "****" + last4(options.apiKey()))
            + "; dashboard: "
            + simulator.baseUrl()
            + "/ ; stop with Ctrl-C"
            + nl);
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String causeOf(RuntimeException e) {
    return e.getCause() == null ? "" : ": " + e.getCause().getMessage();
  }

  private static String last4(String key) {
    return key.length() <= 4 ? "" : key.substring(key.length() - 4);
  }

  /** Parses {@code --port N}, {@code --api-key K} (or {@code --opt=value}) and {@code --help}. */
  static Options parse(String[] args) throws UsageException {
    int port = 0;
    String apiKey = SmsApiSimulator.DEFAULT_API_KEY;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> {
          if (value != null) {
            throw new UsageException(name + " takes no value");
          }
          help = true;
        }
        case "--port" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          port = parsePort(value);
        }
        case "--api-key" -> {
          if (value == null) {
            value = next(args, ++i, name);
          }
          if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UsageException("--api-key must be non-empty printable ASCII without spaces");
          }
          apiKey = value;
        }
        default -> throw new UsageException("unknown argument: " + arg);
      }
    }
    return new Options(port, apiKey, help);
  }

  private static String next(String[] args, int i, String name) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(name + " needs a value");
    }
    return args[i];
  }

  private static int parsePort(String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--port must be a number in 0..65535: " + value);
  }
}
