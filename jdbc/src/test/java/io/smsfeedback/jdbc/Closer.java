package io.smsfeedback.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Closes what a test opened, last opened first, after each test. */
final class Closer implements AfterEachCallback {

  private final List<AutoCloseable> open = new ArrayList<>();

  /** Closes {@code resource} after the test; returns it. */
  <T extends AutoCloseable> T add(T resource) {
    open.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.remove(i).close();
    }
  }
}
