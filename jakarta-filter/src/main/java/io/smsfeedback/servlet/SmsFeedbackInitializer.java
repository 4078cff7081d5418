package io.smsfeedback.servlet;

import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.servlet.internal.ConfigLoader;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link SmsFeedbackFilter} in a servlet container that finds this jar (a WAR's {@code
 * WEB-INF/lib}, or the container's class path), through {@code
 * META-INF/services/jakarta.servlet.ServletContainerInitializer}: for {@code /*}, dispatcher types
 * REQUEST and ASYNC, async supported, <b>before</b> the filters of {@code web.xml} ({@code
 * isMatchAfter=false}) so that it wraps the app's security filters and reads the session before
 * session fixation replaces it.
 *
 * <p>Stands down, reading no setting, when the Spring Boot starter ({@code
 * sms-feedback-spring-boot-starter}) and Spring Boot's auto-configuration are on the web app's class
 * path (a Spring Boot WAR): there the starter configures sms-feedback from the application's
 * properties, {@code sms.feedback.enabled=false} included, and stays inactive without an API key
 * (RATIONALE.md, "Servlet filter").
 *
 * <p>Stands down when {@code sms.feedback.servlet.auto-register=false} (context-param, {@code
 * sms-feedback.properties}, system property or {@code SMS_FEEDBACK_SERVLET_AUTO_REGISTER}), or when
 * a {@code SmsFeedbackFilter} is already registered (web.xml, code). An instance registered later
 * (a Spring Boot WAR's filter bean) is detected when the filters initialise, and the automatic one
 * then passes requests through; in any case the once-per-request marker runs only one.
 *
 * <p>Adds a {@code ServletContextListener} that closes the filter's tracker, then its reporter,
 * when the context is destroyed.
 */
public final class SmsFeedbackInitializer implements ServletContainerInitializer {

  private static final Logger LOG = LoggerFactory.getLogger("io.smsfeedback.servlet");

  /** The Spring Boot starter's auto-configuration, looked up as a resource (never loaded). */
  static final String STARTER_MARKER = "io/smsfeedback/spring/SmsFeedbackAutoConfiguration.class";

  /** Spring Boot's auto-configuration, without which the starter does nothing. */
  static final String BOOT_MARKER = "org/springframework/boot/autoconfigure/AutoConfiguration.class";

  @Override
  public void onStartup(@Nullable Set<Class<?>> classes, ServletContext context)
      throws ServletException {
    if (springBootStarterPresent(context.getClassLoader())) {
      LOG.info(
          "sms-feedback: the Spring Boot starter is on the class path and configures sms-feedback"
              + " from the application's properties; the servlet initializer stands down");
      return;
    }
    boolean auto;
    try {
      Map<String, String> merged =
          ConfigLoader.standard()
              .load(
                  ConfigLoader.params(context.getInitParameterNames(), context::getInitParameter),
                  Map.of(),
                  context.getClassLoader());
      auto = PropertyReader.of(merged).bool(FilterSettings.AUTO_REGISTER).orElse(true);
    } catch (IllegalArgumentException e) {
      LOG.error("sms-feedback: invalid configuration: {}", e.getMessage());
      throw new ServletException("sms-feedback: invalid configuration: " + e.getMessage(), e);
    }
    if (!auto) {
      LOG.info("sms-feedback: {}=false; not registering the filter", FilterSettings.AUTO_REGISTER);
      return;
    }
    for (Map.Entry<String, ? extends FilterRegistration> e :
        context.getFilterRegistrations().entrySet()) {
      if (SmsFeedbackFilter.class.getName().equals(e.getValue().getClassName())) {
        LOG.info(
            "sms-feedback: filter '{}' is registered explicitly; not adding another", e.getKey());
        return;
      }
    }
    SmsFeedbackFilter filter = new SmsFeedbackFilter();
    FilterRegistration.Dynamic registration =
        context.addFilter(SmsFeedbackFilter.DEFAULT_FILTER_NAME, filter);
    if (registration == null) {
      LOG.warn(
          "sms-feedback: a filter named '{}' exists already; not registering",
          SmsFeedbackFilter.DEFAULT_FILTER_NAME);
      return;
    }
    registration.setInitParameter(SmsFeedbackFilter.AUTO_REGISTERED_PARAM, "true");
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
    context.addListener(new Shutdown(filter));
  }

  /** Whether the Spring Boot starter and Spring Boot's auto-configuration are both visible. */
  static boolean springBootStarterPresent(@Nullable ClassLoader loader) {
    ClassLoader l = loader != null ? loader : SmsFeedbackInitializer.class.getClassLoader();
    return l != null && l.getResource(STARTER_MARKER) != null && l.getResource(BOOT_MARKER) != null;
  }

  /** Closes the automatically registered filter's tracker and reporter with the context. */
  static final class Shutdown implements ServletContextListener {
    private final SmsFeedbackFilter filter;

    Shutdown(SmsFeedbackFilter filter) {
      this.filter = filter;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
      filter.shutdown();
    }
  }
}
