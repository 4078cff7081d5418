package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An attempt cut at its timeout starts no JVM-wide thread (such as the JDK's {@code
 * CompletableFutureDelayScheduler}, which a web app's undeploy cannot stop), and closing the
 * transport leaves none of its own. Checked in a fresh JVM ({@link OwnThreadsChild}): in this one,
 * other tests may already have started the JDK's thread.
 */
class OwnThreadsIT {

  @Test
  void timedOutAttempt_startsNoJvmWideThread_andCloseStopsTheTransportsThreads() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OwnThreadsChild.class.getName())
            .redirectErrorStream(true)
            .start();
    child.getOutputStream().close();
    String output;
    try {
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
    } catch (IOException | InterruptedException e) {
      child.destroyForcibly();
      throw e;
    }
    assertThat(child.exitValue()).as(output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines).as(output).anyMatch(l -> l.startsWith("result=") && l.length() > 7);
    List<String> threads =
        lines.stream().filter(l -> l.startsWith("thread=")).map(l -> l.substring(7)).toList();
    assertThat(threads).as(output).isNotEmpty().contains("main");
    assertThat(threads)
        .as(output)
        .noneMatch(n -> n.contains("CompletableFuture"))
        .noneMatch(n -> n.startsWith("sms-feedback"))
        .noneMatch(n -> n.startsWith("ForkJoinPool"));
  }
}
