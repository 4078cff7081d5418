package io.smsfeedback.spring.internal;

import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.spring.SmsFeedbackProperties;
import io.smsfeedback.store.TrackingStore;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The tracker's store, from {@code sms.feedback.store} and the application's beans: a {@link
 * TrackingStore} bean wins (the application's own, or the JDBC store the auto-configuration made
 * for {@code jdbc}); without one, {@code memory} is the core's in-memory store and {@code jdbc} is
 * a startup failure saying what is missing.
 */
public final class TrackingStores {

  /** The property naming the store. */
  public static final String STORE = FeedbackSettings.PREFIX + "store";

  /** {@value}: the default, the core's in-memory store. */
  public static final String MEMORY = "memory";

  /** {@value}: {@code sms-feedback-jdbc} on the application's {@code DataSource}. */
  public static final String JDBC = "jdbc";

  static final String JDBC_STORE_CLASS = "io.smsfeedback.jdbc.JdbcTrackingStore";

  private TrackingStores() {}

  /**
   * @param bean the application's {@link TrackingStore} bean, if there is one
   * @throws IllegalArgumentException if {@code sms.feedback.store} is neither memory nor jdbc
   * @throws UnavailableException if it is jdbc and there is no store bean
   */
  public static TrackingStore select(
      SmsFeedbackProperties properties,
      @Nullable TrackingStore bean,
      ConfigurableListableBeanFactory beanFactory) {
    String store = properties.getStore();
    String kind = store.toLowerCase(Locale.ROOT);
    if (!kind.equals(MEMORY) && !kind.equals(JDBC)) {
      throw new IllegalArgumentException(
          STORE + " must be " + MEMORY + " or " + JDBC + ": " + PropertyReader.quote(store));
    }
    if (bean != null) {
      return bean;
    }
    if (kind.equals(JDBC)) {
      throw new UnavailableException(whyNoJdbcStore(beanFactory));
    }
    return TrackingStore.inMemory();
  }

  private static String whyNoJdbcStore(ConfigurableListableBeanFactory beanFactory) {
    String needs = STORE + "=" + JDBC + " needs ";
    if (!ClassUtils.isPresent(JDBC_STORE_CLASS, beanFactory.getBeanClassLoader())) {
      return needs
          + "sms-feedback-jdbc on the class path: add the dependency"
          + " io.smsfeedback:sms-feedback-jdbc, and your JDBC driver";
    }
    String[] dataSources = beanFactory.getBeanNamesForType(DataSource.class, true, false);
    if (dataSources.length == 0) {
      return needs
          + "the application's DataSource, and there is no DataSource bean: add"
          + " spring-boot-starter-jdbc, your JDBC driver and spring.datasource.url, or define a"
          + " DataSource bean";
    }
    if (dataSources.length > 1) {
      return needs
          + "one DataSource, and there are "
          + dataSources.length
          + " DataSource beans ("
          + String.join(", ", dataSources)
          + "): mark the one to use @Primary, or define your own TrackingStore bean";
    }
    return needs
        + "the DataSource bean '"
        + dataSources[0]
        + "' to exist before sms-feedback's auto-configuration runs (it runs after Spring Boot's"
        + " DataSourceAutoConfiguration): define it in your own configuration, or define your own"
        + " TrackingStore bean";
  }

  /** {@code sms.feedback.store=jdbc} cannot be served; the message says what to add. */
  public static final class UnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message);
    }
  }
}
