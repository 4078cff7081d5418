package io.smsfeedback.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.servlet.internal.Markers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.TestingAuthenticationToken;

class FeedbackReportingHandlersTest {

  private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/verify");
  private final MockHttpServletResponse response = new MockHttpServletResponse();
  private final List<String> calls = new ArrayList<>();

  @Test
  void successHandler_marksVerifiedThenDelegates() throws Exception {
    var handler =
        new FeedbackReportingAuthenticationSuccessHandler(
            (req, res, auth) -> calls.add("delegate:" + verdict()));

    handler.onAuthenticationSuccess(
        request, response, new TestingAuthenticationToken("alice", null));

    assertThat(calls).containsExactly("delegate:VERIFIED");
  }

  @Test
  void successHandler_withChain_marksVerifiedThenDelegates() throws Exception {
    var handler =
        new FeedbackReportingAuthenticationSuccessHandler(
            (req, res, auth) -> calls.add("delegate:" + verdict()));

    handler.onAuthenticationSuccess(
        request, response, new MockFilterChain(), new TestingAuthenticationToken("alice", null));

    assertThat(calls).containsExactly("delegate:VERIFIED");
  }

  @Test
  void failureHandler_marksRejectedThenDelegates() throws Exception {
    var handler =
        new FeedbackReportingAuthenticationFailureHandler(
            (req, res, e) -> calls.add("delegate:" + verdict()));

    handler.onAuthenticationFailure(request, response, new BadCredentialsException("wrong"));

    assertThat(calls).containsExactly("delegate:REJECTED");
  }

  @Test
  void failureHandler_serviceFailureIsNoWrongCode() throws Exception {
    var handler =
        new FeedbackReportingAuthenticationFailureHandler(
            (req, res, e) -> calls.add("delegate:" + verdict()));

    handler.onAuthenticationFailure(
        request, response, new InternalAuthenticationServiceException("token store down"));

    assertThat(calls).containsExactly("delegate:null");
  }

  private String verdict() {
    return String.valueOf(request.getAttribute(Markers.VERDICT_ATTRIBUTE));
  }
}
