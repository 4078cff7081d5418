package io.smsfeedback.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private final Map<String, String> serverConfig;
  private EmbeddedPostgres postgres;
  private final List<HikariDataSource> pools = new ArrayList<>();

  /** A server tuned for tests: zonky's defaults, fsync and synchronous_commit off. */
  public PostgresExtension() {
    this(false);
  }

  /** {@code durable}: fsync and synchronous_commit on, as a production server. */
  public PostgresExtension(boolean durable) {
    this(durable, Map.of());
  }

  /** As {@link #PostgresExtension(boolean)}, plus server settings (e.g. preloaded libraries). */
  public PostgresExtension(boolean durable, Map<String, String> serverConfig) {
    this.durable = durable;
    this.serverConfig = Map.copyOf(serverConfig);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
    if (durable) {
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    serverConfig.forEach(builder::setServerConfig);
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

  /**
   * CPU time used so far by the server's processes: the postmaster, its live children and (as the
   * postmaster reaped them) its exited children, such as autovacuum workers.
   */
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
    total = total.plus(reapedChildrenCpu(postmaster));
    for (ProcessHandle p : postmaster.descendants().toList()) {
      total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  /**
   * CPU time used so far by the server's live processes, by role: "backend" (the connections'
   * processes), "postmaster" (with its reaped children) or the process title of a background process
   * ("walwriter", "autovacuum launcher", ...). Linux only (reads /proc); empty elsewhere.
   */
  public Map<String, Duration> serverCpuByRole() {
    ProcessHandle postmaster = postmaster();
    Map<String, Duration> cpu = new java.util.TreeMap<>();
    cpu.put("postmaster", cpuOf(postmaster).plus(reapedChildrenCpu(postmaster)));
    for (ProcessHandle p : postmaster.descendants().toList()) {
      String title;
      try {
        title = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).strip();
      } catch (IOException e) {
        continue;
      }
      title = title.replace('\0', ' ').replaceFirst("^postgres: ", "").strip();
      String role = title.contains("127.0.0.1") || title.contains("[local]") ? "backend" : title;
      cpu.merge(role, cpuOf(p), Duration::plus);
    }
    return cpu;
  }

  private static Duration cpuOf(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  private ProcessHandle postmaster() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** cutime + cstime of /proc/PID/stat (Linux); zero elsewhere. */
  private static Duration reapedChildrenCpu(ProcessHandle process) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      String line = Files.readString(stat);
      // fields after the command name (which may hold spaces) in parentheses; cutime and cstime
      // are fields 16 and 17, in clock ticks (USER_HZ, 100 on Linux)
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
      return Duration.ofMillis(ticks * 10);
    } catch (IOException | RuntimeException e) {
      return Duration.ZERO;
    }
  }

  /** A new unpooled connection to the {@code postgres} database, for the test's own queries. */
  public Connection connect() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
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
