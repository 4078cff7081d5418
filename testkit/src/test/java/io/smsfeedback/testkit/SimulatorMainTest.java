package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Command-line parsing of the standalone simulator (the process itself: StandaloneJarIT). */
class SimulatorMainTest {

  @Test
  void noArguments_meanAFreePortAndTheDefaultKey() throws Exception {
    SimulatorMain.Options options = SimulatorMain.parse(new String[0]);

    assertThat(options.port()).isZero();
    assertThat(options.apiKey()).isEqualTo(SmsApiSimulator.DEFAULT_API_KEY);
    assertThat(options.help()).isFalse();
  }

  @Test
  void portAndKey_asSeparateOrJoinedValues() throws Exception {
    assertThat(SimulatorMain.parse(new String[] {"--port", "8089", "--api-key", "k1"}))
        .isEqualTo(new SimulatorMain.Options(8089, "k1", false));
    assertThat(SimulatorMain.parse(new String[] {"--port=8090", "--api-key=k2"}))
        .isEqualTo(new SimulatorMain.Options(8090, "k2", false));
  }

  @Test
  void help() throws Exception {
    assertThat(SimulatorMain.parse(new String[] {"--help"}).help()).isTrue();
    assertThat(SimulatorMain.parse(new String[] {"-h"}).help()).isTrue();
    assertThat(SimulatorMain.USAGE).contains("--port").contains("--api-key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--port",
        "--port x",
        "--port -1",
        "--port 65536",
        "--api-key",
        "--api-key=",
        "--verbose",
        "8080",
        "--help=yes"
      })
  void badArguments_areUsageErrors(String line) {
    assertThatThrownBy(() -> SimulatorMain.parse(line.split(" ")))
        .isInstanceOf(SimulatorMain.UsageException.class)
        .hasMessageNotContaining("Exception");
  }
}
