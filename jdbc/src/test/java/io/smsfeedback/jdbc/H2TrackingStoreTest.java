package io.smsfeedback.jdbc;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** The store contract and the JDBC store's own tests on H2 in memory (native mode). */
class H2TrackingStoreTest extends JdbcStoreTests {

  static final JdbcConnectionPool POOL =
      JdbcConnectionPool.create(
          "jdbc:h2:mem:native;QUERY_CACHE_SIZE=64;DB_CLOSE_DELAY=-1", "sa", "");

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
