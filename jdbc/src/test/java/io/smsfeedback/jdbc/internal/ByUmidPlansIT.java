package io.smsfeedback.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smsfeedback.jdbc.JdbcDialect;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.jdbc.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL caches the plan of a prepared statement. The plan of a statement that looks up one
 * umid, made on a small table that was never analyzed (every fresh deployment), must read the
 * primary key only: a plan that reads a partial index or the table stays cached while the table
 * grows, and costs more with every row (and every dead index entry).
 */
class ByUmidPlansIT {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void statementsThatLookUpAUmid_planThePrimaryKeyOnly_onASmallFreshTable() throws SQLException {
    String table = "plans_tracked_otp";
    JdbcTrackingStore.builder(POSTGRES.newPool(1))
        .tablePrefix("plans_")
        .initializeSchema(true)
        .build()
        .close();
    Sql sql = new Sql(JdbcDialect.POSTGRESQL, table);
    // statement -> parameter types, in order
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put(sql.find, "uuid");
    statements.put(
        sql.compareAndSet, "text, int, timestamptz, bigint, text, uuid, timestamptz, uuid, bigint");
    statements.put(
        sql.finishIfPending,
        "text, timestamptz, timestamptz, text, uuid, timestamptz, uuid, timestamptz");
    statements.put(sql.settle, "uuid");
    statements.put(sql.release, "uuid, uuid");
    statements.put(sql.renew, "timestamptz, uuid, uuid");
    try (Connection c = POSTGRES.connect();
        Statement s = c.createStatement()) {
      // a few rows of each kind the partial indexes hold: pending, and decided but undelivered
      s.execute(
          "INSERT INTO "
              + table
              + " SELECT gen_random_uuid(), 'sub', now(), 'PENDING', 0, now(), NULL, 0,"
              + " NULL, NULL, NULL, NULL FROM generate_series(1, 5)");
      s.execute(
          "INSERT INTO "
              + table
              + " SELECT gen_random_uuid(), 'sub', now(), 'VERIFIED', 0, now(), now(), 1,"
              + " NULL, 'PENDING', gen_random_uuid(), now() FROM generate_series(1, 5)");
      s.execute("SET plan_cache_mode = force_generic_plan");
      int n = 0;
      for (Map.Entry<String, String> e : statements.entrySet()) {
        String name = "p" + n++;
        int params = e.getValue().split(",").length;
        s.execute("PREPARE " + name + "(" + e.getValue() + ") AS " + numbered(e.getKey()));
        String plan =
            explain(s, "EXPLAIN EXECUTE " + name + "(" + "NULL, ".repeat(params - 1) + "NULL)");

        assertThat(plan)
            .as("generic plan of %s", e.getKey())
            .contains("Index Scan using " + table + "_pkey")
            .doesNotContain("Seq Scan")
            .doesNotContain(table + "_due")
            .doesNotContain(table + "_finished")
            .doesNotContain(table + "_undelivered");
      }
    }
  }

  /** JDBC's {@code ?} parameters as PostgreSQL's {@code $1, $2, ...}. */
  private static String numbered(String statement) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : statement.toCharArray()) {
      if (ch == '?') {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static String explain(Statement s, String explain) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = s.executeQuery(explain)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
