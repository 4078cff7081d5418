package io.smsfeedback.internal.transport;

import io.smsfeedback.FeedbackTransport;
import io.smsfeedback.TransportResult;
import io.smsfeedback.testkit.SmsApiSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link OwnThreadsIT} in a JVM of its own, where no other code has started a JVM-wide
 * thread yet: sends one attempt that ends at its timeout (the simulator hangs), closes the
 * transport, then prints {@code result=<ioError>} and one {@code thread=<name>} line per live
 * thread.
 */
public final class OwnThreadsChild {

  public static void main(String[] args) throws Exception {
    try (SmsApiSimulator sim =
        SmsApiSimulator.builder().apiKey(HttpClientTransportIT.KEY).build()) {
      sim.hangAll();
      TransportResult r;
      try (FeedbackTransport transport =
          HttpClientTransport.create(
              HttpClientTransportIT.settings(sim.baseUri(), HttpClientTransportIT.KEY),
              Clock.systemUTC())) {
        r =
            transport
                .send(HttpClientTransportIT.feedback(), Duration.ofMillis(200))
                .get(30, TimeUnit.SECONDS);
      }
      System.out.println("result=" + r.ioError());
    }
    Set<String> names = new TreeSet<>();
    Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .forEach(t -> names.add(t.getName()));
    names.forEach(n -> System.out.println("thread=" + n));
  }

  private OwnThreadsChild() {}
}
