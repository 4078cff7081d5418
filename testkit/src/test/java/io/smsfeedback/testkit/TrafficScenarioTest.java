package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficScenarioTest {

  /** Records every action; refuses sends to {@code refuse}. */
  private static final class Recorder implements TrafficScenario.Target {
    final List<String> log = new ArrayList<>();
    final String refuse;
    int next;

    Recorder(String refuse) {
      this.refuse = refuse;
    }

    @Override
    public Object send(String number) {
      if (number.startsWith("+" + refuse)) {
        log.add("refused " + number);
        return null;
      }
      log.add("send " + number);
      return next++;
    }

    @Override
    public void verify(Object handle) {
      log.add("verify " + handle);
    }

    @Override
    public void wrongCode(Object handle) {
      log.add("wrong " + handle);
    }
  }

  private static TrafficScenario scenario(long seed) {
    return TrafficScenario.builder(seed).honest("65", 300).honest("44", 200).pumping("7", 100).build();
  }

  @Test
  void theSameSeed_givesTheSameTraffic_anotherSeedOther() throws Exception {
    Recorder a = new Recorder("none");
    Recorder b = new Recorder("none");
    Recorder c = new Recorder("none");
    scenario(1).run(a);
    scenario(1).run(b);
    scenario(2).run(c);
    assertThat(a.log).isEqualTo(b.log).isNotEqualTo(c.log);
  }

  @Test
  void honestUsersMostlyVerify_botsNever() throws Exception {
    Recorder r = new Recorder("none");
    TrafficScenario.Result result = scenario(7).run(r);

    assertThat(result.verified("7")).isZero();
    assertThat(result.sends("7")).isEqualTo(100);
    // 300 users: 88% verify (80% + 8% after a resend); binomial sd ~ 5.6 users
    assertThat(result.verified("65")).isBetween(245, 285);
    assertThat(result.sends("65")).isBetween(300 + 10, 300 + 45); // the resends
    assertThat(r.log.stream().filter(l -> l.startsWith("wrong")).count()).isBetween(30L, 90L);
    assertThat(r.log).filteredOn(l -> l.startsWith("send +7")).hasSize(100);
    // interleaved: the bots do not all come last
    int firstBot = indexOf(r.log, "send +7");
    assertThat(firstBot).isLessThan(r.log.size() / 4);
  }

  @Test
  void numbersAreE164_withTheCallingCode() throws Exception {
    Recorder r = new Recorder("none");
    scenario(3).run(r);
    assertThat(r.log)
        .filteredOn(l -> l.startsWith("send "))
        .allSatisfy(l -> assertThat(l.substring(5)).matches("\\+(65|44|7)[1-9][0-9]{8,9}").hasSizeBetween(12, 13));
  }

  @Test
  void refusedSends_areCounted_andNotActedOn() throws Exception {
    Recorder r = new Recorder("7");
    TrafficScenario.Result result = scenario(5).run(r);
    assertThat(result.refused("7")).isEqualTo(100);
    assertThat(result.refused("65")).isZero();
  }

  @Test
  void badCallingCodes_areRefused() {
    assertThatThrownBy(() -> TrafficScenario.builder(1).honest("+65", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'+65'");
  }

  private static int indexOf(List<String> log, String prefix) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
