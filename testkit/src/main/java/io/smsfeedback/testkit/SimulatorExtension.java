package io.smsfeedback.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JUnit Jupiter extension giving tests an {@link SmsApiSimulator}.
 *
 * <ul>
 *   <li>{@code @ExtendWith(SimulatorExtension.class)}, or {@code @RegisterExtension} on an
 *       instance field: each test gets a fresh simulator, closed after it. Declare a parameter of
 *       type {@link SmsApiSimulator} (test method, {@code @BeforeEach}, {@code @AfterEach}), or
 *       call {@link #simulator()} on the registered field.
 *   <li>{@code @RegisterExtension} on a <b>static</b> field: one simulator for the whole class
 *       (and its {@code @Nested} classes), started before all tests, {@link
 *       SmsApiSimulator#reset() reset} before each test, closed after all. It can then also be
 *       injected into {@code @BeforeAll} methods, e.g. to point an application at its URL once.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SimulatorExtension SIM =
 *     new SimulatorExtension(SmsApiSimulator.builder().apiKey("k"));
 * }</pre>
 *
 * <p>The simulator module runs without JUnit; only this class needs {@code junit-jupiter-api} on
 * the class path.
 */
public final class SimulatorExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private static final String PER_CLASS = "perClass";
  private static final String PER_TEST = "perTest";

  private final SmsApiSimulator.Builder builder;
  private final Namespace namespace = Namespace.create(SimulatorExtension.class, this);
  private volatile SmsApiSimulator current;

  /** A simulator with the default settings for each test (or class). */
  public SimulatorExtension() {
    this(SmsApiSimulator.builder());
  }

  /**
   * A simulator built by {@code builder} for each test (or class). The builder is used each time
   * a simulator starts; do not change it afterwards.
   */
  public SimulatorExtension(SmsApiSimulator.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  /** A started simulator and the id of the context that owns (and closes) it. */
  private static final class Holder implements AutoCloseable {
    final SmsApiSimulator simulator;
    final String owner;

    Holder(SmsApiSimulator simulator, String owner) {
      this.simulator = simulator;
      this.owner = owner;
    }

    @Override
    public void close() {
      simulator.close();
    }
  }

  /**
   * The simulator of the running test (or class).
   *
   * @throws IllegalStateException outside a test
   */
  public SmsApiSimulator simulator() {
    SmsApiSimulator simulator = current;
    if (simulator == null) {
      throw new IllegalStateException("no simulator: not inside a test using this extension");
    }
    return simulator;
  }

  /** The base URL of {@link #simulator()}. */
  public String baseUrl() {
    return simulator().baseUrl();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!isStaticFieldOf(context.getRequiredTestClass())) {
      return;
    }
    ExtensionContext.Store store = context.getStore(namespace);
    Holder holder = store.get(PER_CLASS, Holder.class); // found in an enclosing class: reuse it
    if (holder == null) {
      holder = new Holder(builder.build(), context.getUniqueId());
      store.put(PER_CLASS, holder);
    }
    current = holder.simulator;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Holder holder = context.getStore(namespace).get(PER_CLASS, Holder.class);
    if (holder != null && holder.owner.equals(context.getUniqueId())) {
      holder.close();
      current = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Holder perClass = context.getStore(namespace).get(PER_CLASS, Holder.class);
    if (perClass != null) {
      perClass.simulator.reset();
    }
    current = simulatorFor(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(namespace);
    Holder holder = store.get(PER_TEST, Holder.class);
    if (holder != null && holder.owner.equals(context.getUniqueId())) {
      holder.close();
    }
    Holder perClass = store.get(PER_CLASS, Holder.class);
    current = perClass == null ? null : perClass.simulator;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SmsApiSimulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SmsApiSimulator simulator = simulatorFor(context);
    if (simulator == null) {
      throw new ParameterResolutionException(
          "No SmsApiSimulator for "
              + parameter.getDeclaringExecutable()
              + ": outside a test method a simulator exists only when the SimulatorExtension is"
              + " registered in a static @RegisterExtension field");
    }
    return simulator;
  }

  /** The class-wide simulator, else the test's own (started on first use); null outside a test. */
  private SmsApiSimulator simulatorFor(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(namespace);
    Holder perClass = store.get(PER_CLASS, Holder.class);
    if (perClass != null) {
      return perClass.simulator;
    }
    if (context.getTestMethod().isEmpty()) {
      return null;
    }
    Holder perTest = store.get(PER_TEST, Holder.class);
    if (perTest == null) {
      perTest = new Holder(builder.build(), context.getUniqueId());
      store.put(PER_TEST, perTest);
    }
    return perTest.simulator;
  }

  private boolean isStaticFieldOf(Class<?> testClass) {
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())
            && field.isAnnotationPresent(RegisterExtension.class)
            && field.trySetAccessible()) {
          try {
            if (field.get(null) == this) {
              return true;
            }
          } catch (IllegalAccessException e) {
            // not readable: treat as not ours
          }
        }
      }
    }
    return false;
  }
}
