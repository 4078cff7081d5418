package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as {@code java -jar} in a separate process. */
class StandaloneJarIT {

  private static final Pattern URL =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");

  private final List<Process> processes = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void killLeftovers() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

  private static Path jar() {
    String path = System.getProperty("testkit.jar");
    assertThat(path).as("system property testkit.jar (set by failsafe)").isNotNull();
    Path jar = Path.of(path);
    assertThat(jar).exists();
    return jar;
  }

  /**
   * Starts the jar with stdout and stderr going to a file (reading a pipe races with the JDK
   * closing it when the process exits, which can lose the last lines).
   */
  private Process start(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    processes.add(process);
    return process;
  }

  private static String read(Path output) throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  /** Waits (bounded) for the line announcing the URL. */
  private static String awaitUrl(Path output) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Matcher m = URL.matcher(read(output));
              return m.find() ? m.group(1) : null;
            },
            url -> url != null);
  }

  private static String finish(Process process, Path output) throws Exception {
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("process exited").isTrue();
    return read(output);
  }

  @Test
  void jar_servesTheApiAndDashboard_andStopsCleanlyOnSigterm() throws Exception {
    Path out = tmp.resolve("out.txt");
    Process process = start(out, "--port", "0", "--api-key", "it-key");

    String baseUrl = awaitUrl(out);
    int port = URI.create(baseUrl).getPort();
    UUID umid = UUID.randomUUID();
    HttpResponse<String> feedback =
        TestHttp.send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl + "/api/v1/subaccounts/acme/messages/" + umid + "/feedback"))
                .header("Authorization", "Bearer it-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"success\"}"))
                .build());
    HttpResponse<String> wrongKey =
        TestHttp.send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl + "/api/v1/subaccounts/acme/messages/" + umid + "/feedback"))
                .header("Authorization", "Bearer " + SmsApiSimulator.DEFAULT_API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"success\"}"))
                .build());
    HttpResponse<String> page =
        TestHttp.send(HttpRequest.newBuilder(URI.create(baseUrl + "/")).GET().build());
    HttpResponse<String> listing =
        TestHttp.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/feedback")).GET().build());

    assertThat(feedback.statusCode()).isEqualTo(200);
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("8x8 SMS API simulator").contains(umid.toString());
    assertThat(listing.body()).contains(umid.toString());

    process.destroy(); // SIGTERM

    String printed = finish(process, out);
    assertThat(printed).contains("API key: ****-key").endsWith("SmsApiSimulator stopped\n");
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void help_printsUsage_andExitsZero() throws Exception {
    Path output = tmp.resolve("out.txt");
    Process process = start(output, "--help");

    String out = finish(process, output);

    assertThat(process.exitValue()).isZero();
    assertThat(out).contains("Usage: java -jar").contains("--port").contains("--api-key");
  }

  @Test
  void badArguments_exitWithStatus2_andAMessage() throws Exception {
    Path output = tmp.resolve("out.txt");
    Process process = start(output, "--port", "nope");

    String out = finish(process, output);

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(out).contains("error: --port must be a number").contains("Usage:");
  }

  @Test
  void portInUse_exitsWithStatus1() throws Exception {
    try (SmsApiSimulator taken = SmsApiSimulator.start()) {
      Path output = tmp.resolve("out.txt");
      Process process = start(output, "--port", Integer.toString(taken.port()));

      String out = finish(process, output);

      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(out).contains("error: cannot start the simulator on 127.0.0.1:" + taken.port());
    }
  }

  @Test
  void manifest_namesTheMainClassAndTheAutomaticModule_andBundlesNoJUnit() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Main-Class")).isEqualTo(SimulatorMain.class.getName());
      assertThat(main.getValue("Automatic-Module-Name")).isEqualTo("io.smsfeedback.testkit");
      assertThat(main.getValue("Class-Path")).isNull();
      assertThat(jar.stream().map(e -> e.getName())).noneMatch(n -> n.startsWith("org/junit"));
    }
    assertThat(Files.size(jar())).isPositive();
  }

  @Test
  void defaultKey_isPrintedInFull_sinceItIsNoSecret() throws Exception {
    Path output = tmp.resolve("out.txt");
    Process process = start(output);

    assertThat(awaitUrl(output)).startsWith("http://127.0.0.1:");
    process.destroy();

    assertThat(finish(process, output)).contains("API key: test-api-key (the default)");
  }
}
