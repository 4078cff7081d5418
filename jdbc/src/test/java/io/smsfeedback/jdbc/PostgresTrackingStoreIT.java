package io.smsfeedback.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract and the JDBC store's own tests on a real PostgreSQL. */
class PostgresTrackingStoreIT extends JdbcStoreTests {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static DataSource pool;

  @Override
  DataSource dataSource() {
    if (pool == null) {
      pool = POSTGRES.newPool(16);
    }
    return pool;
  }

  @Override
  JdbcDialect expectedDialect() {
    return JdbcDialect.POSTGRESQL;
  }
}
