package io.smsfeedback.spring.it.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.jdbc.PostgresExtension;
import io.smsfeedback.spring.internal.ott.JdbcSmsCodeService;
import io.smsfeedback.spring.internal.ott.OttSettings;
import io.smsfeedback.spring.internal.ott.SmsCodeAuthenticationToken;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;

/** SMS codes shared by nodes through a real PostgreSQL: each node has its own pool. */
class JdbcSmsCodesIT {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final OttSettings SETTINGS =
      new OttSettings(6, Duration.ofMinutes(5), 5, 1000, "Code {code}", "/login/ott", "/login");

  private static JdbcSmsCodeService node(String prefix) {
    DataSource pool = POSTGRES.newPool(4);
    JdbcSmsCodeService codes = new JdbcSmsCodeService(pool, prefix, SETTINGS, Clock.systemUTC());
    codes.createSchemaIfMissing();
    return codes;
  }

  @Test
  void sameCodeTypedOnEightNodesAtOnce_signsInExactlyOnce() throws Exception {
    List<JdbcSmsCodeService> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(node("race_"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String user = "user" + round;
        String code = nodes.get(0).generate(new GenerateOneTimeTokenRequest(user)).getTokenValue();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OneTimeToken>> results = new ArrayList<>();
        for (JdbcSmsCodeService node : nodes) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return node.consume(new SmsCodeAuthenticationToken(user, code));
                  }));
        }
        start.countDown();
        int wins = 0;
        for (Future<OneTimeToken> result : results) {
          if (result.get(30, TimeUnit.SECONDS) != null) {
            wins++;
          }
        }
        assertThat(wins).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void resendOnAnotherNode_endsTheFirstCode() {
    JdbcSmsCodeService a = node("resend_");
    JdbcSmsCodeService b = node("resend_");
    String first = a.generate(new GenerateOneTimeTokenRequest("alice")).getTokenValue();
    String second = b.generate(new GenerateOneTimeTokenRequest("alice")).getTokenValue();
    if (!first.equals(second)) {
      assertThat(a.consume(new SmsCodeAuthenticationToken("alice", first))).isNull();
    }
    assertThat(a.consume(new SmsCodeAuthenticationToken("alice", second))).isNotNull();
  }
}
