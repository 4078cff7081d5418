package io.smsfeedback.spring.internal;

import io.smsfeedback.jdbc.JdbcStoreStats;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import java.util.Map;

/**
 * The JDBC store in the health details: {@code store} is {@code up} or {@code degraded} (a call on
 * a request thread failed or took longer than {@code sms.feedback.jdbc.statement-timeout}, and none
 * has succeeded since), with {@code storeDegradedSince}, and the calls that failed and the writes
 * retried and lost so far. The status stays UP: a slow database must not take the application out
 * of its load balancer for a feature that fails open.
 */
public final class JdbcStoreHealth implements FeedbackHealth.StoreDetails {

  private final JdbcTrackingStore store;

  public JdbcStoreHealth(JdbcTrackingStore store) {
    this.store = store;
  }

  @Override
  public void addTo(Map<String, Object> details) {
    JdbcStoreStats s = store.stats();
    details.put("store", s.degraded() ? "degraded" : "up");
    if (s.degradedSince() != null) {
      details.put("storeDegradedSince", String.valueOf(s.degradedSince()));
    }
    details.put("storeCallFailures", s.callFailures());
    details.put("storeRetriedWrites", s.retriedWrites());
    details.put("storeLostWrites", s.lostWrites());
  }
}
