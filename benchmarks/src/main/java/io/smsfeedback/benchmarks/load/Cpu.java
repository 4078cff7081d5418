package io.smsfeedback.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process's threads (Linux {@code /proc/self/task}), grouped: the simulator
 * ({@code sms-sim-*}), the JVM itself (GC, JIT compilers, VM threads), and the rest, which is the
 * client under test and its caller. Unlike throughput it barely depends on what else runs on the
 * machine, so it shows where a quiet machine's limit would be. Resolution: one clock tick (10 ms).
 */
final class Cpu {

  static final String SIMULATOR = "simulator";
  static final String JVM = "jvm (gc, jit)";
  static final String CLIENT = "client";

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final double NANOS_PER_TICK = 1e9 / 100;

  private final Map<String, Long> ticksByThread;

  private Cpu(Map<String, Long> ticksByThread) {
    this.ticksByThread = ticksByThread;
  }

  static Cpu now() {
    Map<String, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close);
          String[] f = stat.substring(close + 2).split(" ");
          long t = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
          ticks.put(task.getFileName() + "/" + name, t);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no breakdown
    }
    return new Cpu(ticks);
  }

  /** Nanoseconds of CPU per group since {@code start} (threads that ended meanwhile are missed). */
  Map<String, Double> since(Cpu start) {
    Map<String, Double> groups = new LinkedHashMap<>();
    groups.put(CLIENT, 0.0);
    groups.put(SIMULATOR, 0.0);
    groups.put(JVM, 0.0);
    for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
      long delta = e.getValue() - start.ticksByThread.getOrDefault(e.getKey(), 0L);
      groups.merge(group(e.getKey().substring(e.getKey().indexOf('/') + 1)),
          delta * NANOS_PER_TICK, Double::sum);
    }
    return groups;
  }

  /** The threads (by name, numbers folded) that used the most CPU since {@code start}, in ms. */
  String top(Cpu start, int k) {
    Map<String, Double> byName = new HashMap<>();
    for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
      long delta = e.getValue() - start.ticksByThread.getOrDefault(e.getKey(), 0L);
      String name = e.getKey().substring(e.getKey().indexOf('/') + 1).replaceAll("[0-9]+$", "N");
      byName.merge(name, delta * NANOS_PER_TICK / 1e6, Double::sum);
    }
    StringBuilder sb = new StringBuilder();
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(k)
        .forEach(e -> sb.append(e.getKey()).append('=').append(Math.round(e.getValue())).append(' '));
    return sb.toString().trim();
  }

  private static String group(String thread) {
    if (thread.startsWith("sms-sim")) {
      return SIMULATOR;
    }
    if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.startsWith("C1 ")
        || thread.startsWith("C2 ") || thread.startsWith("VM ") || thread.equals("Sweeper thread")
        || thread.startsWith("Common-Cleaner") || thread.startsWith("Service Thread")) {
      return JVM;
    }
    return CLIENT;
  }
}
