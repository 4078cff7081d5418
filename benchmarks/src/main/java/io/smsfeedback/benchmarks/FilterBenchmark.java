package io.smsfeedback.benchmarks;

import io.smsfeedback.ConversionTracker;
import io.smsfeedback.FeedbackReporter;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.benchmarks.support.CountingReporter;
import io.smsfeedback.benchmarks.support.FakeHttp;
import io.smsfeedback.benchmarks.support.Fixtures;
import io.smsfeedback.benchmarks.support.InstantTransport;
import io.smsfeedback.servlet.FilterSettings;
import io.smsfeedback.servlet.SmsFeedbackFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SmsFeedbackFilter} on a bare filter chain (no container; hand-written request, session
 * and response fakes), against a pass-through filter doing the same per-request bookkeeping.
 *
 * <ul>
 *   <li>{@code otherRequest*}: an ordinary page request ({@code GET /products/42}) that has nothing
 *       to do with OTP: with a session holding no umid (a logged-in user), and without a session.
 *   <li>{@code verification*}: {@code POST /otp/verify} answered 200 while a tracked umid is
 *       pending in the session: the filter decides success, the tracker records it, the reporter
 *       queues it (real tracker and reporter, in-process transport; or a reporter that only counts,
 *       to separate the hand-off to the reporter's thread), and the filter drops the umid from the
 *       session. Each measured iteration verifies a batch of {@value #BATCH} OTPs sent
 *       (tracked) in the iteration's setup, which is not timed but is counted in {@code
 *       gc.alloc.rate.norm}; {@code verificationPassThrough} shows that share.
 * </ul>
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterBenchmark {

  static final int BATCH = 10_000;
  static final String ATTRIBUTE = FilterSettings.DEFAULT_SESSION_ATTRIBUTE;
  static final FilterChain NOTHING = (request, response) -> {};
  static final Filter PASS_THROUGH = (request, response, chain) -> chain.doFilter(request, response);

  static FilterSettings filterSettings() {
    return FilterSettings.builder()
        .subAccountId(Fixtures.SUB_ACCOUNT)
        .verificationPaths("/otp/verify")
        .build();
  }

  /** A filter over a long-lived tracker and reporter; requests that never reach them. */
  @State(Scope.Thread)
  public static class Other {
    FeedbackReporter reporter;
    ConversionTracker tracker;
    SmsFeedbackFilter filter;
    final FakeHttp.Response response = new FakeHttp.Response();
    FakeHttp.Request withSession;
    FakeHttp.Request withoutSession;

    @Setup(Level.Trial)
    public void filter() {
      FeedbackSettings settings = Fixtures.settings().build();
      reporter = FeedbackReporter.builder(settings).transport(new InstantTransport()).build();
      tracker = ConversionTracker.create(settings, reporter);
      filter = new SmsFeedbackFilter(tracker, filterSettings(), Clock.systemUTC());
      FakeHttp.Session session = new FakeHttp.Session();
      session.setAttribute("cart", "3 items");
      withSession = new FakeHttp.Request("GET", "/products/42", session);
      withoutSession = new FakeHttp.Request("GET", "/products/42", null);
    }

    @TearDown(Level.Trial)
    public void close() {
      if (filter.stats().requests() == 0 || reporter.stats().accepted() != 0) {
        throw new IllegalStateException("unexpected: " + filter.stats() + " " + reporter.stats());
      }
      tracker.close();
      reporter.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public FakeHttp.Request otherRequestPassThrough(Other s) throws IOException, ServletException {
    s.withSession.reset();
    PASS_THROUGH.doFilter(s.withSession, s.response, NOTHING);
    return s.withSession;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public FakeHttp.Request otherRequest(Other s) throws IOException, ServletException {
    s.withSession.reset();
    s.filter.doFilter(s.withSession, s.response, NOTHING);
    return s.withSession;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public FakeHttp.Request otherRequestNoSession(Other s) throws IOException, ServletException {
    s.withoutSession.reset();
    s.filter.doFilter(s.withoutSession, s.response, NOTHING);
    return s.withoutSession;
  }

  /** Per iteration: a fresh tracker and reporter with {@value #BATCH} pending OTPs. */
  @State(Scope.Thread)
  public static class Verify {
    /** How the app keeps the umid: our helper's {@code SentOtp}, or the bare umid string. */
    @Param({"SentOtp", "String"})
    public String sessionValue;

    /** {@code real}: the default reporter (in-process transport); {@code counting}: counts only. */
    @Param({"real", "counting"})
    public String reporterKind;

    SentOtp[] otps;
    String[] umids;
    FeedbackReporter reporter;
    ConversionTracker tracker;
    SmsFeedbackFilter filter;
    final FakeHttp.Session session = new FakeHttp.Session();
    final FakeHttp.Request request = new FakeHttp.Request("POST", "/otp/verify", session);
    final FakeHttp.Response response = new FakeHttp.Response();
    final FilterChain answer200 = (rq, rs) -> response.setStatus(200);
    int next;

    @Setup(Level.Trial)
    public void otps() {
      otps = Fixtures.otps(11, BATCH, Instant.now());
      umids = new String[BATCH];
      for (int i = 0; i < BATCH; i++) {
        umids[i] = otps[i].umid().toString();
      }
    }

    @Setup(Level.Iteration)
    public void pipeline() {
      FeedbackSettings settings = Fixtures.settings().queueCapacity(100_000).build();
      reporter =
          reporterKind.equals("counting")
              ? new CountingReporter()
              : FeedbackReporter.builder(settings).transport(new InstantTransport()).build();
      tracker = ConversionTracker.create(settings, reporter);
      filter = new SmsFeedbackFilter(tracker, filterSettings(), Clock.systemUTC());
      for (SentOtp otp : otps) {
        tracker.sent(otp);
      }
      next = 0;
    }

    /** What the app and the filter left in the session when the OTP was sent. */
    void pending(int i) {
      if (sessionValue.equals("String")) {
        session.setAttribute(ATTRIBUTE, umids[i]);
        session.setAttribute(ATTRIBUTE + "#sent", otps[i]);
      } else {
        session.setAttribute(ATTRIBUTE, otps[i]);
      }
    }

    @TearDown(Level.Iteration)
    public void check() {
      tracker.close();
      reporter.flush(Duration.ofSeconds(30));
      long verified = tracker.stats().successes();
      if (verified != 0 && (verified != BATCH || reporter.stats().delivered() != BATCH)) {
        throw new IllegalStateException(
            "expected " + BATCH + " successes: " + tracker.stats() + " " + reporter.stats());
      }
      reporter.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 40, batchSize = BATCH)
  @Measurement(iterations = 60, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public FakeHttp.Request verification(Verify v) throws IOException, ServletException {
    v.pending(v.next++);
    v.request.reset();
    v.filter.doFilter(v.request, v.response, v.answer200);
    return v.request;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 40, batchSize = BATCH)
  @Measurement(iterations = 60, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public FakeHttp.Request verificationPassThrough(Verify v) throws IOException, ServletException {
    v.pending(v.next++);
    v.request.reset();
    PASS_THROUGH.doFilter(v.request, v.response, v.answer200);
    return v.request;
  }
}
