package io.smsfeedback.spring.it.war;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.SmsFeedbackFilter;
import io.smsfeedback.servlet.SmsFeedbackInitializer;
import io.smsfeedback.spring.SmsFeedbackAutoConfiguration;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.SpringServletContainerInitializer;

/**
 * A Spring Boot WAR carrying the starter and, with it, the servlet jar, deployed on Tomcat (the
 * Boot line's Tomcat: 11 on Boot 4, 10.1 on Boot 3.5) the way a container starts it: the {@code
 * ServletContainerInitializer}s that {@code ServiceLoader} finds on the class path (the servlet
 * jar's and Spring's, which starts the app through its {@code SpringBootServletInitializer}). The
 * servlet jar's initializer stands down, so the application's properties alone decide.
 */
class BootWarIT {

  @TempDir Path dir;
  private Tomcat tomcat;

  @AfterEach
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void disabledInApplicationProperties_nothingRuns() throws Exception {
    Context context = deploy(WarApp.Disabled.class);
    assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
    assertThat(feedbackFilters(context)).isEmpty();
    assertThat(SmsFeedbackFilter.find(context.getServletContext())).isNull();
    assertThat(get("/hello")).isEqualTo("hello");
  }

  @Test
  void noSettingsAnywhere_starterInactive_theDeployDoesNotFail() throws Exception {
    Context context = deploy(WarApp.WithoutKey.class);
    assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
    assertThat(feedbackFilters(context)).isEmpty();
    assertThat(get("/hello")).isEqualTo("hello");
  }

  @Test
  void configuredInApplicationProperties_onlyTheStartersFilter() throws Exception {
    Context context = deploy(WarApp.Active.class);
    assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
    assertThat(feedbackFilters(context)).containsExactly(SmsFeedbackAutoConfiguration.FILTER_NAME);
    assertThat(SmsFeedbackFilter.find(context.getServletContext())).isNotNull();
    assertThat(get("/hello")).isEqualTo("hello");
  }

  /** Starts Tomcat with one web app whose initializers are those a container discovers. */
  private Context deploy(Class<?> bootInitializer) throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(dir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Path docBase = Files.createDirectories(dir.resolve("app"));
    Context context = tomcat.addContext("", docBase.toString());
    List<Class<?>> found = new ArrayList<>();
    for (ServletContainerInitializer sci : ServiceLoader.load(ServletContainerInitializer.class)) {
      if (sci instanceof SmsFeedbackInitializer) {
        context.addServletContainerInitializer(sci, null);
        found.add(sci.getClass());
      } else if (sci instanceof SpringServletContainerInitializer) {
        // @HandlesTypes(WebApplicationInitializer.class): the WAR's one.
        context.addServletContainerInitializer(sci, Set.of(bootInitializer));
        found.add(sci.getClass());
      }
    }
    assertThat(found)
        .as("both jars' initializers are discoverable")
        .containsExactlyInAnyOrder(
            SmsFeedbackInitializer.class, SpringServletContainerInitializer.class);
    tomcat.start();
    return context;
  }

  private static List<String> feedbackFilters(Context context) {
    List<String> names = new ArrayList<>();
    for (FilterRegistration r : context.getServletContext().getFilterRegistrations().values()) {
      if (SmsFeedbackFilter.class.getName().equals(r.getClassName())) {
        names.add(r.getName());
      }
    }
    return names;
  }

  private String get(String path) throws Exception {
    int port = tomcat.getConnector().getLocalPort();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
