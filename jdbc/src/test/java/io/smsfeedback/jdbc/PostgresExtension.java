package io.smsfeedback.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL (zonky's embedded binaries, bound to localhost, no Docker) started once per
 * test class, with pooled data sources closed after the class. As root, zonky runs the server in a
 * user namespace (unshare), since PostgreSQL refuses to run as root.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private final boolean durable;
  private EmbeddedPostgres postgres;
  private final List<HikariDataSource> pools = new ArrayList<>();

  /** A server tuned for tests: zonky's defaults, fsync and synchronous_commit off. */
  public PostgresExtension() {
    this(false);
  }

  /** {@code durable}: fsync and synchronous_commit on, as a production server. */
  public PostgresExtension(boolean durable) {
    this.durable = durable;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
    if (durable) {
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    postgres = builder.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    pools.forEach(HikariDataSource::close);
    pools.clear();
    if (postgres != null) {
      postgres.close();
    }
  }

  /** CPU time used so far by the server's processes (postmaster and its live children). */
  public Duration serverCpu() {
    ProcessHandle postmaster;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      // the backend serving this connection lives as long as the connection: ask for its parent now
      postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Duration total = postmaster.info().totalCpuDuration().orElse(Duration.ZERO);
    for (ProcessHandle p : postmaster.descendants().toList()) {
      total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  /** The JDBC URL of the {@code postgres} database (user {@code postgres}, no password). */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** A new connection pool on the server, closed after the class. */
  public DataSource newPool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName("pg-test-" + pools.size());
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }
}
