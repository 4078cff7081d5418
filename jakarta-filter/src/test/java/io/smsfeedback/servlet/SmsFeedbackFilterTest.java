package io.smsfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smsfeedback.SentOtp;
import io.smsfeedback.servlet.fakes.FakeHttp;
import io.smsfeedback.servlet.fakes.RecordingTracker;
import io.smsfeedback.testing.LogCapture;
import io.smsfeedback.testing.ManualClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class SmsFeedbackFilterTest {

  static final String ATTR = FilterSettings.DEFAULT_SESSION_ATTRIBUTE;
  static final UUID A = UUID.fromString("11111111-1111-4111-8111-111111111111");
  static final UUID B = UUID.fromString("22222222-2222-4222-8222-222222222222");
  static final UUID C = UUID.fromString("33333333-3333-4333-8333-333333333333");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final RecordingTracker tracker = new RecordingTracker();
  final FakeHttp.Context context = new FakeHttp.Context();
  final FilterSettings settings =
      FilterSettings.builder().subAccountId("sub-1").verificationPaths("/verify", "/otp/*").build();
  SmsFeedbackFilter filter = new SmsFeedbackFilter(tracker, settings, clock);

  FakeHttp.Exchange exchange() {
    return new FakeHttp.Exchange(context);
  }

  FakeHttp.Exchange withPending(Object value) {
    FakeHttp.Exchange x = exchange();
    x.appSession().setAttribute(ATTR, value);
    return x;
  }

  void run(FakeHttp.Exchange x, FilterChain chain) throws IOException, ServletException {
    filter.doFilter(x.request, x.response, chain);
  }

  @Test
  void filter_reportsSendWhenUmidAppearsDuringRequest() throws Exception {
    FakeHttp.Exchange x = exchange();
    x.servletPath = "/send";
    run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, A.toString()));

    assertThat(tracker.calls).containsExactly("sent " + A + " sub-1 " + T0);
    assertThat(filter.stats().sends()).isEqualTo(1);
  }

  @Test
  void filter_sentOtpValueKeepsItsOwnSubaccountAndTime() throws Exception {
    FakeHttp.Exchange x = exchange();
    Instant sentAt = T0.minusSeconds(5);
    run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, new SentOtp("other-sub", A, sentAt)));

    assertThat(tracker.calls).containsExactly("sent " + A + " other-sub " + sentAt);
  }

  @Test
  void filter_newUmidSupersedesThePendingOne() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    x.servletPath = "/resend";
    clock.advance(Duration.ofSeconds(30));
    run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, B));

    Instant now = T0.plusSeconds(30);
    assertThat(tracker.calls)
        .containsExactly("sent " + B + " sub-1 " + now, "superseded " + A + " " + now);
    assertThat(filter.stats().superseded()).isEqualTo(1);
  }

  @Test
  void filter_sameUmidInAnotherFormIsNotASend() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    x.servletPath = "/other";
    run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, new SentOtp("sub-1", A, T0)));

    assertThat(tracker.calls).isEmpty();
  }

  @Test
  void filter_success2xxOnVerificationPathWithArrivalTime() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> clock.advance(Duration.ofSeconds(3)));

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
    assertThat(filter.stats().successes()).isEqualTo(1);
  }

  @Test
  void filter_wrongCodeOn4xxAndOnRedirectToError() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> x.response.sendError(401));
    FakeHttp.Exchange y = withPending(A.toString());
    y.servletPath = "/otp";
    y.pathInfo = "/check";
    run(y, (rq, rs) -> y.response.sendRedirect("/otp/form?error=1"));

    assertThat(tracker.calls)
        .containsExactly("wrongCode " + A + " " + T0, "wrongCode " + A + " " + T0);
    assertThat(filter.stats().wrongCodes()).isEqualTo(2);
  }

  @Test
  void filter_redirectWithoutErrorIsSuccess_5xxIsNoVerdict() throws Exception {
    run(
        withPending(A.toString()),
        (rq, rs) -> ((jakarta.servlet.http.HttpServletResponse) rs).sendRedirect("/home"));
    run(
        withPending(A.toString()),
        (rq, rs) -> ((jakarta.servlet.http.HttpServletResponse) rs).sendError(503));

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
    assertThat(filter.stats().noVerdicts()).isEqualTo(1);
  }

  @Test
  void filter_getOrOtherPathIsNotJudged() throws Exception {
    FakeHttp.Exchange get = withPending(A.toString());
    get.method = "GET";
    run(get, (rq, rs) -> {});
    FakeHttp.Exchange other = withPending(A.toString());
    other.servletPath = "/home";
    run(other, (rq, rs) -> {});

    assertThat(tracker.calls).isEmpty();
    assertThat(filter.stats().noVerdicts()).isZero();
  }

  @Test
  void filter_explicitMarkerBeatsBridgeBeatsStatus() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(
        x,
        (rq, rs) -> {
          SmsFeedback.verified(rq);
          assertThat(SmsFeedback.currentRequestRejected()).isTrue();
          x.response.sendError(401);
        });
    FakeHttp.Exchange y = withPending(A.toString());
    run(
        y,
        (rq, rs) -> {
          assertThat(SmsFeedback.currentRequestRejected()).isTrue();
          y.status = 200;
        });
    FakeHttp.Exchange z = withPending(A.toString());
    z.servletPath = "/not-a-verification-path";
    run(z, (rq, rs) -> SmsFeedback.rejected(rq));

    assertThat(tracker.calls)
        .containsExactly(
            "verified " + A + " " + T0, "wrongCode " + A + " " + T0, "wrongCode " + A + " " + T0);
  }

  @Test
  void bridge_returnsFalseOutsideTheFilterAndIsClearedAfterIt() throws Exception {
    assertThat(SmsFeedback.currentRequestVerified()).isFalse();
    run(withPending(A.toString()), (rq, rs) -> assertThat(SmsFeedback.isRequestBound()).isTrue());
    assertThat(SmsFeedback.isRequestBound()).isFalse();
    assertThatThrownBy(
            () ->
                run(
                    withPending(A.toString()),
                    (rq, rs) -> {
                      throw new IOException("app failed");
                    }))
        .hasMessage("app failed");
    assertThat(SmsFeedback.currentRequestVerified()).isFalse();
  }

  @Test
  void bridge_isBoundButIgnoredWhenNoOtpIsPending() throws Exception {
    run(
        exchange(),
        (rq, rs) -> {
          assertThat(SmsFeedback.isRequestBound()).isTrue();
          assertThat(SmsFeedback.currentRequestVerified()).isTrue();
        });
    assertThat(SmsFeedback.isRequestBound()).isFalse();
    run(withPending(A.toString()), (rq, rs) -> assertThat(SmsFeedback.isRequestBound()).isTrue());
    assertThat(SmsFeedback.isRequestBound()).isFalse();

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
  }

  @Test
  void filter_readsUmidBeforeSessionIsReplaced() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(
        x,
        (rq, rs) -> {
          x.session.httpSession.invalidate();
          x.appSession(); // a new, empty session (session fixation protection)
        });

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
  }

  @Test
  void filter_judgesThePreChainSnapshotWhenTheAppClearsTheAttribute() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> SmsFeedback.forget(x.session.httpSession));

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
  }

  @Test
  void filter_neverCreatesASession() throws Exception {
    FakeHttp.Exchange x = exchange();
    run(x, (rq, rs) -> {});

    assertThat(x.sessionsCreated).isZero();
    assertThat(tracker.calls).isEmpty();
  }

  @Test
  void filter_ignoresValuesItDoesNotUnderstand_warnsOncePerKind() throws Exception {
    try (LogCapture log = LogCapture.of("io.smsfeedback.servlet")) {
      for (Object garbage :
          List.of(
              42,
              "not-a-uuid",
              "x".repeat(10_000),
              "also-not-a-uuid",
              new StringBuilder(A.toString()))) {
        FakeHttp.Exchange x = exchange();
        x.servletPath = "/send";
        run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, garbage));
      }
      // The same value seen again on a later request is not counted again.
      FakeHttp.Exchange again = withPending("not-a-uuid");
      run(again, (rq, rs) -> {});

      assertThat(tracker.calls).isEmpty();
      assertThat(filter.stats().ignoredValues()).isEqualTo(5);
      assertThat(log.messages(Level.WARNING))
          .hasSize(3)
          .anySatisfy(m -> assertThat(m).contains("unsupported type"))
          .anySatisfy(m -> assertThat(m).contains("not a UUID"))
          .anySatisfy(m -> assertThat(m).contains("longer than 64"))
          .allSatisfy(m -> assertThat(m).doesNotContain("xxxx"));
    }
  }

  @Test
  void filter_exceptionFromChainPropagatesUnchangedWithoutVerdict() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    ServletException boom = new ServletException("boom");

    assertThatThrownBy(
            () ->
                run(
                    x,
                    (rq, rs) -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(tracker.calls).isEmpty();
    assertThat(filter.stats().noVerdicts()).isEqualTo(1);
  }

  @Test
  void filter_explicitVerdictSurvivesALaterExceptionFromTheApp() throws Exception {
    FakeHttp.Exchange marked = withPending(A.toString());
    assertThatThrownBy(
            () ->
                run(
                    marked,
                    (rq, rs) -> {
                      SmsFeedback.verified(rq);
                      throw new ServletException("rendering failed");
                    }))
        .hasMessage("rendering failed");
    FakeHttp.Exchange bridged = withPending(B.toString());
    assertThatThrownBy(
            () ->
                run(
                    bridged,
                    (rq, rs) -> {
                      SmsFeedback.currentRequestVerified();
                      throw new IllegalStateException("after authentication");
                    }))
        .hasMessage("after authentication");

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0, "verified " + B + " " + T0);
    assertThat(filter.stats().noVerdicts()).isZero();
  }

  @Test
  void filter_ownFailuresAreCaughtCountedAndLoggedOnce() throws Exception {
    tracker.failWith = new IllegalStateException("tracker bug");
    try (LogCapture log = LogCapture.of("io.smsfeedback.servlet")) {
      for (int i = 0; i < 3; i++) {
        FakeHttp.Exchange x = withPending(A.toString());
        run(x, (rq, rs) -> x.response.setStatus(204));
        assertThat(x.status).isEqualTo(204);
      }
      assertThat(filter.stats().internalErrors()).isEqualTo(3);
      assertThat(log.messages(Level.SEVERE)).hasSize(1);
    }
  }

  @Test
  void filter_runsOncePerRequestAcrossTwoInstances() throws Exception {
    RecordingTracker second = new RecordingTracker();
    SmsFeedbackFilter inner = new SmsFeedbackFilter(second, settings, clock);
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> inner.doFilter(rq, rs, (rq2, rs2) -> {}));

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
    assertThat(second.calls).isEmpty();
    assertThat(inner.stats().requests()).isZero();
  }

  @Test
  void filter_ignoresErrorForwardAndIncludeDispatches() throws Exception {
    for (DispatcherType type :
        List.of(
            DispatcherType.ERROR,
            DispatcherType.FORWARD,
            DispatcherType.INCLUDE,
            DispatcherType.ASYNC)) {
      FakeHttp.Exchange x = withPending(A.toString());
      x.dispatcherType = type;
      run(x, (rq, rs) -> x.appSession().setAttribute(ATTR, B.toString()));
    }
    assertThat(tracker.calls).isEmpty();
    assertThat(filter.stats().requests()).isZero();
  }

  @Test
  void filter_disabledPassesThrough() throws Exception {
    filter = new SmsFeedbackFilter(tracker, settings.toBuilder().enabled(false).build(), clock);
    FakeHttp.Exchange x = withPending(A.toString());
    boolean[] ran = {false};
    run(x, (rq, rs) -> ran[0] = true);

    assertThat(ran[0]).isTrue();
    assertThat(filter.isActive()).isFalse();
    assertThat(tracker.calls).isEmpty();
    assertThat(x.attributes).isEmpty();
  }

  @Test
  void filter_asyncRequestFinishesOnComplete() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> x.asyncStarted = true);
    assertThat(tracker.calls).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    x.status = 200;
    x.completeAsync();
    x.completeAsync(); // a second onComplete does nothing

    assertThat(tracker.calls).containsExactly("verified " + A + " " + T0);
  }

  @Test
  void filter_asyncTimeoutGivesNoVerdict() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> x.asyncStarted = true);
    x.timeoutAsync();

    assertThat(tracker.calls).isEmpty();
    assertThat(filter.stats().noVerdicts()).isEqualTo(1);
  }

  @Test
  void filter_asyncTimeoutStillSeesASendItDidNotObserve() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> x.asyncStarted = true);
    x.session.attributes.put(ATTR, B.toString()); // written past the filter's wrapper
    x.timeoutAsync();

    assertThat(tracker.calls)
        .containsExactly("sent " + B + " sub-1 " + T0, "superseded " + A + " " + T0);
    assertThat(filter.stats().noVerdicts()).as("a send is never judged").isZero();
  }

  @Test
  void remember_writesSentOtpWithConfiguredSubaccountAndClock() throws Exception {
    filter.init(new FakeFilterConfig(context));
    FakeHttp.Exchange x = exchange();
    clock.advance(Duration.ofSeconds(1));
    SmsFeedback.remember(x.appSession(), A.toString());
    assertThat(x.session.attributes.get(ATTR))
        .isEqualTo(new SentOtp("sub-1", A, T0.plusSeconds(1)));

    SmsFeedback.remember(x.appSession(), "sub-2", B.toString());
    assertThat(x.session.attributes.get(ATTR))
        .isEqualTo(new SentOtp("sub-2", B, T0.plusSeconds(1)));
    assertThatThrownBy(() -> SmsFeedback.remember(x.appSession(), "nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void remember_withoutFilterStoresTheUuid() {
    FakeHttp.Exchange x = exchange();
    SmsFeedback.remember(x.appSession(), A.toString());
    assertThat(x.session.attributes.get(ATTR)).isEqualTo(A);
  }

  @Test
  void filter_forgetsTheUmidOnceItHasItsOutcome() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(x, (rq, rs) -> {});
    assertThat(x.session.attributes).doesNotContainKey(ATTR);

    tracker.answer = io.smsfeedback.ConversionTracker.Signal.ATTEMPT_COUNTED;
    FakeHttp.Exchange y = withPending(A.toString());
    run(y, (rq, rs) -> y.response.sendError(401));
    assertThat(y.session.attributes).containsEntry(ATTR, A.toString());
  }

  @Test
  void filter_aRequestThatWritesANewUmidIsASendAndNeverAVerification() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(
        x,
        (rq, rs) -> {
          ((HttpServletRequest) rq).getSession().setAttribute(ATTR, B.toString());
          SmsFeedback.verified(rq); // even the app's marker does not judge the replaced umid
        });

    assertThat(x.session.attributes).containsEntry(ATTR, B.toString());
    assertThat(tracker.calls)
        .containsExactly("sent " + B + " sub-1 " + T0, "superseded " + A + " " + T0);
    assertThat(filter.stats().successes()).isZero();
  }

  @Test
  void filter_seesEveryWriteOfTheUmid_notOnlyTheLast() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(
        x,
        (rq, rs) -> {
          HttpSession session = ((HttpServletRequest) rq).getSession();
          session.setAttribute(ATTR, B.toString());
          session.setAttribute(ATTR, C.toString());
        });

    assertThat(tracker.calls)
        .containsExactly(
            "sent " + B + " sub-1 " + T0,
            "superseded " + A + " " + T0,
            "sent " + C + " sub-1 " + T0,
            "superseded " + B + " " + T0);
  }

  @Test
  void filter_supersedesAUmidItWroteThatAnotherRequestReplacedMeanwhile() throws Exception {
    FakeHttp.Exchange x = withPending(A.toString());
    run(
        x,
        (rq, rs) -> {
          ((HttpServletRequest) rq).getSession().setAttribute(ATTR, B.toString());
          x.session.attributes.put(ATTR, C.toString()); // a concurrent request on the session
        });

    assertThat(tracker.calls)
        .containsExactly(
            "sent " + B + " sub-1 " + T0,
            "superseded " + A + " " + T0,
            "superseded " + B + " " + T0,
            "sent " + C + " sub-1 " + T0,
            "superseded " + A + " " + T0);
  }

  @Test
  void filter_stringUmidKeepsTheSendTimeItWasFirstSeenAt() throws Exception {
    FakeHttp.Exchange send = exchange();
    send.servletPath = "/send";
    run(send, (rq, rs) -> send.appSession().setAttribute(ATTR, A.toString()));
    clock.advance(Duration.ofMinutes(2));

    FakeHttp.Exchange check = exchange();
    check.session = send.session;
    run(check, (rq, rs) -> {});

    assertThat(tracker.otps).hasSize(2);
    assertThat(tracker.otps.get(1)).isEqualTo(new SentOtp("sub-1", A, T0));
    assertThat(tracker.calls.get(1)).isEqualTo("verified " + A + " " + T0.plusSeconds(120));
  }
}
