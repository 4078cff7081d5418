package io.smsfeedback.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.internal.transport.NegotiationGate.Admission;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiationGateTest {

  private final List<Long> started = new ArrayList<>();

  @Test
  void overHttps_theFirstProbes_theRestWaitForItsAnswer_thenAllGo() {
    NegotiationGate gate = new NegotiationGate(false);
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.admit(started::add)).isEqualTo(Admission.PROBE);
    assertThat(gate.admit(started::add)).isEqualTo(Admission.HELD);
    assertThat(gate.admit(started::add)).isEqualTo(Admission.HELD);
    assertThat(started).isEmpty();

    gate.answered();

    assertThat(started).hasSize(2).allSatisfy(waited -> assertThat(waited).isNotNegative());
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.admit(started::add)).isEqualTo(Admission.GO);
  }

  @Test
  void aNewConnectionToNegotiate_closesItAgain_butNotWhileAProbeOrHeldStartsAreOut() {
    NegotiationGate gate = new NegotiationGate(false);
    gate.admit(started::add);
    gate.renegotiate(); // probing: stays as it is
    assertThat(gate.admit(started::add)).isEqualTo(Admission.HELD);
    gate.answered();
    gate.renegotiate();
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.admit(started::add)).isEqualTo(Admission.PROBE);
  }

  @Test
  void plainHttp_hasNoGate_evenWhenItsPoolEmpties() {
    NegotiationGate gate = new NegotiationGate(true);
    assertThat(gate.admit(started::add)).isEqualTo(Admission.GO);
    gate.renegotiate();
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.admit(started::add)).isEqualTo(Admission.GO);
  }

  @Test
  void reprobe_theFirstWithoutAConnectionProbes_theOthersAndNewOnesWait() {
    NegotiationGate gate = new NegotiationGate(false);
    gate.admit(started::add);
    gate.answered();

    assertThat(gate.reprobe(started::add)).isEqualTo(Admission.PROBE);
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.reprobe(started::add)).isEqualTo(Admission.HELD);
    assertThat(gate.admit(started::add)).isEqualTo(Admission.HELD);
    assertThat(started).isEmpty();

    gate.answered();

    assertThat(started).hasSize(2);
    assertThat(gate.admit(started::add)).isEqualTo(Admission.GO);
  }

  @Test
  void reprobe_overPlainHttp_isNoGate() {
    NegotiationGate gate = new NegotiationGate(true);
    assertThat(gate.reprobe(started::add)).isEqualTo(Admission.GO);
    assertThat(gate.isOpen()).isTrue();
  }

  @Test
  void atClose_heldStartsAreToldMinusOne() {
    NegotiationGate gate = new NegotiationGate(false);
    gate.admit(started::add);
    gate.admit(started::add);
    gate.releaseAll();
    assertThat(started).containsExactly(-1L);
  }
}
