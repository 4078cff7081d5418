package io.smsfeedback.servlet;

import io.smsfeedback.servlet.fakes.FakeHttp;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

final class FakeFilterConfig implements FilterConfig {
  final FakeHttp.Context context;
  final Map<String, String> params = new HashMap<>();

  FakeFilterConfig(FakeHttp.Context context) {
    this.context = context;
  }

  @Override
  public String getFilterName() {
    return "f";
  }

  @Override
  public ServletContext getServletContext() {
    return context.servletContext;
  }

  @Override
  public String getInitParameter(String name) {
    return params.get(name);
  }

  @Override
  public Enumeration<String> getInitParameterNames() {
    return Collections.enumeration(params.keySet());
  }
}
