package io.smsfeedback.jdbc;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** The same tests on H2 emulating PostgreSQL, as applications often use it in their tests. */
class H2PostgresModeTrackingStoreTest extends JdbcStoreTests {

  static final JdbcConnectionPool POOL =
      JdbcConnectionPool.create(
          "jdbc:h2:mem:pgmode;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
              + "QUERY_CACHE_SIZE=64;"
              + "DB_CLOSE_DELAY=-1",
          "sa",
          "");

  @AfterAll
  static void closePool() {
    POOL.dispose();
  }

  @Override
  DataSource dataSource() {
    return POOL;
  }

  @Override
  JdbcDialect expectedDialect() {
    return JdbcDialect.H2;
  }
}
