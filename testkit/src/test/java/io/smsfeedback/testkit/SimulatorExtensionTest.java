package io.smsfeedback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The JUnit extension's lifecycle, checked by running small test classes (the nested fixtures,
 * which surefire does not run by themselves) on the Jupiter engine.
 */
class SimulatorExtensionTest {

  /** The simulators the fixtures saw, in order. */
  static final List<SmsApiSimulator> SEEN = new CopyOnWriteArrayList<>();

  private static EngineExecutionResults run(Class<?> fixture) {
    SEEN.clear();
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
  }

  /** Uses the simulator enough to prove it is live, and leaves a record behind. */
  static void use(SmsApiSimulator sim) throws Exception {
    assertThat(sim.isRunning()).isTrue();
    assertThat(sim.requests()).as("fresh or reset").isEmpty();
    assertThat(sim.pendingFaults()).as("fresh or reset").isZero();
    sim.enqueueStatuses(503);
    TestHttp.success(sim, UUID.randomUUID());
    assertThat(sim.requests()).hasSize(1);
    SEEN.add(sim);
  }

  @ExtendWith(SimulatorExtension.class)
  static class PerTestByParameter {
    private SmsApiSimulator fromBeforeEach;

    @BeforeEach
    void before(SmsApiSimulator sim) {
      fromBeforeEach = sim;
    }

    @Test
    void first(SmsApiSimulator sim) throws Exception {
      assertThat(sim).isSameAs(fromBeforeEach);
      use(sim);
    }

    @Test
    void second(SmsApiSimulator sim) throws Exception {
      assertThat(sim).isSameAs(fromBeforeEach);
      use(sim);
    }

    @AfterEach
    void after(SmsApiSimulator sim) {
      assertThat(sim).isSameAs(fromBeforeEach);
      assertThat(sim.isRunning()).as("still running in @AfterEach").isTrue();
    }
  }

  @Test
  void extendWith_givesEachTestAFreshSimulator_closedAfterIt() {
    run(PerTestByParameter.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));

    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
    assertThat(SEEN).noneMatch(SmsApiSimulator::isRunning);
  }

  static class PerTestByInstanceField {
    @RegisterExtension
    final SimulatorExtension extension =
        new SimulatorExtension(SmsApiSimulator.builder().apiKey("field-key"));

    @Test
    void first() throws Exception {
      assertThat(extension.simulator().apiKey()).isEqualTo("field-key");
      assertThat(extension.baseUrl()).isEqualTo(extension.simulator().baseUrl());
      use(extension.simulator());
    }

    @Test
    void second(SmsApiSimulator sim) throws Exception {
      assertThat(sim).isSameAs(extension.simulator());
      use(sim);
    }
  }

  @Test
  void instanceField_givesEachTestAFreshSimulator_withTheBuildersSettings() {
    run(PerTestByInstanceField.class)
        .testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2));

    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
    assertThat(SEEN).noneMatch(SmsApiSimulator::isRunning);
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassByStaticField {
    @RegisterExtension
    static final SimulatorExtension SIM =
        new SimulatorExtension(SmsApiSimulator.builder().apiKey("class-key"));

    static SmsApiSimulator fromBeforeAll;

    @BeforeAll
    static void init(SmsApiSimulator sim) {
      assertThat(sim.isRunning()).isTrue();
      fromBeforeAll = sim;
    }

    @Test
    @Order(1)
    void first(SmsApiSimulator sim) throws Exception {
      assertThat(sim).isSameAs(fromBeforeAll).isSameAs(SIM.simulator());
      assertThat(sim.apiKey()).isEqualTo("class-key");
      use(sim);
    }

    @Test
    @Order(2)
    void second(SmsApiSimulator sim) throws Exception {
      assertThat(sim).isSameAs(fromBeforeAll);
      use(sim); // asserts the records and faults of the first test were reset
    }

    @Nested
    class Inner {
      @Test
      void sharesTheEnclosingClassesSimulator(SmsApiSimulator sim) throws Exception {
        assertThat(sim).isSameAs(fromBeforeAll);
        use(sim);
      }
    }
  }

  @Test
  void staticField_sharesOneSimulatorPerClass_resetBeforeEachTest_closedAfterAll() {
    run(PerClassByStaticField.class)
        .testEvents()
        .assertStatistics(s -> s.started(3).succeeded(3));

    assertThat(SEEN).hasSize(3);
    assertThat(SEEN).allMatch(sim -> sim == SEEN.get(0));
    assertThat(SEEN.get(0).isRunning()).isFalse();
  }

  @ExtendWith(SimulatorExtension.class)
  static class BeforeAllWithoutStaticField {
    @BeforeAll
    static void init(SmsApiSimulator sim) {
      SEEN.add(sim);
    }

    @Test
    void test() {}
  }

  @Test
  void beforeAllInjection_withoutAStaticField_failsClearly() {
    run(BeforeAllWithoutStaticField.class)
        .containerEvents()
        .assertThatEvents()
        .haveExactly(
            1,
            finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("static @RegisterExtension field"))));
    assertThat(SEEN).isEmpty();
  }

  @Test
  void simulator_outsideATest_isAnIllegalState() {
    assertThatThrownBy(() -> new SimulatorExtension().simulator())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not inside a test");
  }
}
