package io.smsfeedback.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.benchmarks.load.LoadHarness;
import io.smsfeedback.benchmarks.support.FakeHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Each harness runs a tiny, bounded iteration: the benchmarks compile, their fakes cover the paths
 * taken, and the load harness's checks hold. Measures nothing.
 */
class HarnessSmokeTest {

  @Test
  void filterBenchmark_fakesCoverBothPaths() throws Exception {
    FilterBenchmark b = new FilterBenchmark();
    FilterBenchmark.Other other = new FilterBenchmark.Other();
    other.filter();
    for (int i = 0; i < 100; i++) {
      b.otherRequest(other);
      b.otherRequestNoSession(other);
      b.otherRequestPassThrough(other);
    }
    other.close();
    assertThat(other.filter.stats().requests()).isEqualTo(200);

    for (String value : new String[] {"SentOtp", "String"}) {
      FilterBenchmark.Verify v = new FilterBenchmark.Verify();
      v.sessionValue = value;
      v.reporterKind = value.equals("String") ? "counting" : "real";
      v.otps();
      v.pipeline();
      for (int i = 0; i < FilterBenchmark.BATCH; i++) {
        FakeHttp.Request request = b.verification(v);
        assertThat(request.getAttribute(FilterBenchmark.ATTRIBUTE)).isNull();
      }
      assertThat(v.filter.stats().successes()).isEqualTo(FilterBenchmark.BATCH);
      v.check(); // throws unless every success was delivered
    }
  }

  @Test
  void reporterAndTrackerBenchmarks_deliverEveryFeedback() {
    ReporterBenchmark b = new ReporterBenchmark();
    for (String state : new String[] {"draining", "paused"}) {
      ReporterBenchmark.Fresh fresh = new ReporterBenchmark.Fresh();
      fresh.dispatcherState = state;
      fresh.feedbacks(1);
      fresh.reporter();
      ReporterBenchmark.Cursor cursor = new ReporterBenchmark.Cursor();
      cursor.thread(fresh);
      cursor.rewind();
      for (int i = 0; i < ReporterBenchmark.BATCH; i++) {
        assertThat(b.report(fresh, cursor)).isTrue();
      }
      fresh.check();
    }

    TrackerBenchmark t = new TrackerBenchmark();
    TrackerBenchmark.Fresh f = new TrackerBenchmark.Fresh();
    f.reporterKind = "real";
    f.otps();
    f.pipeline();
    for (int i = 0; i < TrackerBenchmark.BATCH; i++) {
      t.sentThenVerified(f);
    }
    f.check();
  }

  @Test
  void loadHarness_smokeRunsEachPartAndFindsNothingLost() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoadHarness.run("all", true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("reporter / naive sync send")
        .contains("delivery with latency summary")
        .contains("FILTER: p99 hung / healthy")
        .contains("tracked OTP")
        .contains("queued feedback")
        .doesNotContain("LOSS ");
  }
}
