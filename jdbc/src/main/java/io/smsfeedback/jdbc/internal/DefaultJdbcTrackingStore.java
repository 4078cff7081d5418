package io.smsfeedback.jdbc.internal;

import io.smsfeedback.FeedbackListener;
import io.smsfeedback.FeedbackSettings;
import io.smsfeedback.SentOtp;
import io.smsfeedback.config.Durations;
import io.smsfeedback.jdbc.JdbcDialect;
import io.smsfeedback.jdbc.JdbcStoreException;
import io.smsfeedback.jdbc.JdbcStoreStats;
import io.smsfeedback.jdbc.JdbcTrackingStore;
import io.smsfeedback.store.TrackedOtp;
import io.smsfeedback.store.TrackingState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link JdbcTrackingStore}: see its javadoc for the contract. */
public final class DefaultJdbcTrackingStore implements JdbcTrackingStore {

  private static final Logger log = LoggerFactory.getLogger(JdbcTrackingStore.class);

  /** SQLState of a serialization failure (a concurrent update under REPEATABLE READ or above). */
  private static final String SERIALIZATION_FAILURE = "40001";

  /** Key of the PostgreSQL advisory lock that serialises schema creation across nodes. */
  private static final long SCHEMA_LOCK = 0x736d_735f_6662_6b31L;

  private static final Comparator<TrackedOtp> BY_ABANDON_AT =
      Comparator.comparing(TrackedOtp::abandonAt).thenComparing(TrackedOtp::umid);
  private static final Comparator<TrackedOtp> BY_SENT_AT =
      Comparator.comparing(TrackedOtp::sentAt).thenComparing(TrackedOtp::umid);

  private final DataSource dataSource;
  private final JdbcDialect dialect;
  private final Sql sql;
  private final Duration lease;
  private final Clock clock;
  private final UUID node = UUID.randomUUID();
  private final Count tracked;
  private final Count pending;

  /** The durable outbox if the store was built with it, fixed for the store's life. */
  private final @Nullable Outbox outbox;

  private final BoundedCalls calls;
  private final RetriedWrites retries;
  private final Duration statementTimeout;
  private final int queryTimeoutSeconds;
  private final LongAdder redelivered = new LongAdder();

  private DefaultJdbcTrackingStore(
      DataSource dataSource,
      JdbcDialect dialect,
      String table,
      Duration lease,
      Duration statementTimeout,
      Duration countRefresh,
      Clock clock,
      boolean outbox) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.sql = new Sql(dialect, table);
    this.lease = lease;
    this.statementTimeout = statementTimeout;
    this.queryTimeoutSeconds = (int) Math.max(1, (statementTimeout.toMillis() + 999) / 1000);
    this.clock = clock;
    this.calls = new BoundedCalls(statementTimeout, clock);
    this.retries = new RetriedWrites(clock);
    this.tracked = new Count(countRefresh, () -> count(sql.countTracked));
    this.pending = new Count(countRefresh, () -> count(sql.countPending));
    this.outbox =
        outbox
            ? new Outbox(dataSource, sql, node, lease, clock, this::run, retries::run).start()
            : null;
  }

  /** Detects the dialect, creates the schema if asked, checks the table, returns the store. */
  public static DefaultJdbcTrackingStore open(
      DataSource dataSource,
      String tablePrefix,
      boolean initializeSchema,
      @Nullable JdbcDialect dialect,
      Duration lease,
      Duration statementTimeout,
      Duration countRefresh,
      Clock clock,
      boolean outbox) {
    Objects.requireNonNull(dataSource, "dataSource");
    String table = tablePrefix + "tracked_otp";
    try (Connection c = dataSource.getConnection()) {
      JdbcDialect d =
          dialect != null
              ? dialect
              : JdbcDialect.forProductName(c.getMetaData().getDatabaseProductName());
      if (initializeSchema) {
        createSchema(c, d, tablePrefix);
      }
      Sql sql = new Sql(d, table);
      try (Statement s = c.createStatement()) {
        s.executeQuery(sql.probe).close();
      } catch (SQLException e) {
        throw new JdbcStoreException(
            "table "
                + table
                + " is missing or lacks a column: create it with the shipped "
                + d.schemaResource()
                + " (replace the prefix sms_feedback_ if you changed it) or set "
                + INITIALIZE_SCHEMA
                + "=true",
            e);
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      log.debug("sms-feedback JDBC store on {} ({})", table, d.id());
      return new DefaultJdbcTrackingStore(
          dataSource, d, table, lease, statementTimeout, countRefresh, clock, outbox);
    } catch (SQLException e) {
      throw new JdbcStoreException("cannot open the sms-feedback JDBC store on " + table, e);
    }
  }

  private static void createSchema(Connection c, JdbcDialect dialect, String tablePrefix)
      throws SQLException {
    List<String> statements = schemaStatements(dialect, tablePrefix);
    boolean auto = c.getAutoCommit();
    if (dialect == JdbcDialect.POSTGRESQL) {
      // One transaction under an advisory lock: nodes starting at once create the schema one
      // after the other instead of racing in the catalog.
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        for (String statement : statements) {
          s.execute(statement);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } else {
      try (Statement s = c.createStatement()) {
        for (String statement : statements) {
          s.execute(statement);
        }
      }
      if (!auto) {
        c.commit();
      }
    }
    log.debug("sms-feedback JDBC schema ensured ({}, prefix {})", dialect.id(), tablePrefix);
  }

  /** The dialect's schema script with the default prefix replaced, split into statements. */
  static List<String> schemaStatements(JdbcDialect dialect, String tablePrefix) {
    String script;
    try (InputStream in =
        DefaultJdbcTrackingStore.class
            .getClassLoader()
            .getResourceAsStream(dialect.schemaResource())) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + dialect.schemaResource());
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dialect.schemaResource(), e);
    }
    StringBuilder noComments = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        noComments.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : noComments.toString().split(";")) {
      String s = statement.strip();
      if (!s.isEmpty()) {
        statements.add(s.replace(JdbcTrackingStore.Builder.DEFAULT_TABLE_PREFIX, tablePrefix));
      }
    }
    return statements;
  }

  // ---------------------------------------------------------------- TrackingStore

  @Override
  public boolean insertIfAbsent(TrackedOtp record) {
    Objects.requireNonNull(record, "record");
    boolean inserted =
        write(
            "insertIfAbsent",
            record.sentAt().plus(FeedbackSettings.MAX_VALIDITY),
            null,
            (c, noOutbox) -> {
              try (PreparedStatement ps = c.prepareStatement(sql.insert)) {
                ps.setObject(1, record.umid());
                ps.setString(2, record.otp().subAccountId());
                setInstant(ps, 3, record.sentAt());
                ps.setString(4, record.state().name());
                ps.setInt(5, record.wrongCodes());
                setInstant(ps, 6, record.abandonAt());
                setInstant(ps, 7, record.decidedAt());
                ps.setLong(8, record.version());
                return ps.executeUpdate() == 1;
              } catch (SQLException e) {
                if (dialect == JdbcDialect.H2 && "23505".equals(e.getSQLState())) {
                  return false; // the umid is stored already
                }
                throw e;
              }
            });
    if (inserted) {
      tracked.add(1);
      if (record.isPending()) {
        pending.add(1);
      }
    }
    return inserted;
  }

  @Override
  public Optional<TrackedOtp> find(UUID umid) {
    Objects.requireNonNull(umid, "umid");
    return bounded(
        "find",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.find)) {
            ps.setObject(1, umid);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean compareAndSet(TrackedOtp expected, TrackedOtp updated) {
    if (!expected.umid().equals(updated.umid())) {
      throw new IllegalArgumentException(
          "updated has another umid: " + updated.umid() + " instead of " + expected.umid());
    }
    if (updated.version() != expected.version() + 1) {
      throw new IllegalArgumentException(
          "updated.version must be expected.version + 1: "
              + updated.version()
              + " after "
              + expected.version());
    }
    // A decision (a final state with an outcome) enters the outbox, leased to this node, if the
    // store has one.
    @Nullable Instant delivery =
        outbox != null && expected.isPending() && updated.state().outcome() != null
            ? leaseUntil()
            : null;
    boolean written =
        write(
            "compareAndSet",
            expected.sentAt().plus(FeedbackSettings.MAX_VALIDITY),
            delivery,
            (c, leaseUntil) -> {
              try (PreparedStatement ps = c.prepareStatement(sql.compareAndSet)) {
                ps.setString(1, updated.state().name());
                ps.setInt(2, updated.wrongCodes());
                setInstant(ps, 3, updated.decidedAt());
                ps.setLong(4, updated.version());
                bindOutbox(ps, 5, leaseUntil);
                ps.setObject(8, expected.umid());
                ps.setLong(9, expected.version());
                return ps.executeUpdate() == 1;
              } catch (SQLException e) {
                if (SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                  return false; // REPEATABLE READ or stricter: changed meanwhile, as a lost CAS
                }
                throw e;
              }
            });
    if (written) {
      if (outbox != null && delivery != null) {
        outbox.hold(updated.umid(), expected.sentAt(), delivery);
      }
      if (expected.isPending() && !updated.isPending()) {
        pending.add(-1);
      }
    }
    return written;
  }

  /**
   * PostgreSQL: one {@code UPDATE ... WHERE umid = ? AND state = 'PENDING' AND sent_at >= ?
   * RETURNING}, where the tracker would otherwise find, then compare-and-set. H2 (no {@code
   * RETURNING}): those two statements.
   */
  @Override
  public Optional<TrackedOtp> finishIfPending(
      UUID umid, TrackingState finalState, Instant at, Instant now, Instant sentFrom) {
    if (dialect != JdbcDialect.POSTGRESQL) {
      return JdbcTrackingStore.super.finishIfPending(umid, finalState, at, now, sentFrom);
    }
    Objects.requireNonNull(umid, "umid");
    Objects.requireNonNull(finalState, "finalState");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(sentFrom, "sentFrom");
    if (finalState.outcome() == null || finalState == TrackingState.MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "finalState must be VERIFIED, SUPERSEDED or ABANDONED: " + finalState);
    }
    @Nullable Instant delivery = outbox != null ? leaseUntil() : null;
    Optional<TrackedOtp> decided =
        write(
            "finishIfPending",
            now.plus(FeedbackSettings.MAX_VALIDITY), // past every OTP window this could close
            delivery,
            (c, leaseUntil) -> {
              try (PreparedStatement ps = c.prepareStatement(sql.finishIfPending)) {
                ps.setString(1, finalState.name());
                setInstant(ps, 2, at);
                setInstant(ps, 3, now);
                bindOutbox(ps, 4, leaseUntil);
                ps.setObject(7, umid);
                setInstant(ps, 8, sentFrom);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? Optional.of(read(rs)) : Optional.<TrackedOtp>empty();
                }
              } catch (SQLException e) {
                if (SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                  return Optional.<TrackedOtp>empty(); // as a lost CAS: the tracker looks again
                }
                throw e;
              }
            });
    decided.ifPresent(
        written -> {
          if (outbox != null && delivery != null) {
            outbox.hold(umid, written.sentAt(), delivery);
          }
          pending.add(-1);
        });
    return decided;
  }

  /**
   * Binds {@code delivery}, {@code delivery_owner} and {@code delivery_lease_until} from {@code
   * first} on: a decision enters the outbox, leased to this node until {@code leaseUntil}, if the
   * store has an outbox; anything else (null) leaves no outbox entry.
   */
  private void bindOutbox(PreparedStatement ps, int first, @Nullable Instant leaseUntil)
      throws SQLException {
    if (leaseUntil != null) {
      ps.setString(first, "PENDING");
      ps.setObject(first + 1, node);
      setInstant(ps, first + 2, leaseUntil);
    } else {
      ps.setNull(first, Types.VARCHAR);
      ps.setNull(first + 1, Types.OTHER);
      setInstant(ps, first + 2, null);
    }
  }

  @Override
  public List<TrackedOtp> findDueForAbandonment(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    requirePositive(limit);
    Instant leaseNow = clock.instant();
    List<TrackedOtp> due =
        claim(
            "findDueForAbandonment",
            sql.claimDue,
            new Object[] {leaseUntil(leaseNow)},
            new Object[] {now, leaseNow, limit});
    due.sort(BY_ABANDON_AT);
    return due;
  }

  @Override
  public int purgeFinishedBefore(Instant sentBefore, int limit) {
    Objects.requireNonNull(sentBefore, "sentBefore");
    requirePositive(limit);
    int deleted =
        run(
            "purgeFinishedBefore",
            c ->
                delete(
                    c,
                    sql.purge,
                    ps -> {
                      setInstant(ps, 1, sentBefore);
                      ps.setInt(2, limit);
                    }));
    tracked.add(-deleted);
    return deleted;
  }

  @Override
  public int evictOldestFinished(int limit) {
    requirePositive(limit);
    int deleted =
        bounded(
            "evictOldestFinished",
            c -> {
              // Settled (or never reported) outcomes first; undelivered ones only if need be: they
              // lose only their crash protection, their reporter still holds them.
              int n = delete(c, sql.evictSettled, ps -> ps.setInt(1, limit));
              if (n < limit) {
                int rest = limit - n;
                n += delete(c, sql.evictUndelivered, ps -> ps.setInt(1, rest));
              }
              return n;
            });
    tracked.add(-deleted);
    return deleted;
  }

  /**
   * PostgreSQL: runs the {@code DELETE ... WHERE umid IN (SELECT ...)}. H2: runs the select, then
   * deletes the selected final rows one by one in a batch (same auto-commit unit of work).
   */
  private int delete(Connection c, String statement, SqlParams params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      params.bind(ps);
      if (dialect == JdbcDialect.POSTGRESQL) {
        return ps.executeUpdate();
      }
      List<UUID> umids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          umids.add(rs.getObject(1, UUID.class));
        }
      }
      if (umids.isEmpty()) {
        return 0;
      }
      int deleted = 0;
      try (PreparedStatement delete = c.prepareStatement(sql.deleteFinished)) {
        for (UUID umid : umids) {
          delete.setObject(1, umid);
          delete.addBatch();
        }
        for (int n : delete.executeBatch()) {
          deleted += Math.max(n, 0);
        }
      }
      return deleted;
    }
  }

  @Override
  public long countTracked() {
    return tracked.get();
  }

  @Override
  public long countPending() {
    return pending.get();
  }

  private long count(String statement) {
    return bounded(
        "count",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(statement)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  // ---------------------------------------------------------------- DeliveryOutbox

  @Override
  public List<TrackedOtp> claimUndelivered(Instant sentAfter, int limit) {
    Objects.requireNonNull(sentAfter, "sentAfter");
    requirePositive(limit);
    if (outbox == null) {
      return List.of();
    }
    Instant leaseNow = clock.instant();
    Instant until = leaseUntil(leaseNow);
    List<TrackedOtp> claimed =
        claim(
            "claimUndelivered",
            sql.claimUndelivered,
            new Object[] {node, until},
            new Object[] {sentAfter, leaseNow, limit});
    claimed.sort(BY_SENT_AT);
    for (TrackedOtp r : claimed) {
      outbox.hold(r.umid(), r.sentAt(), until);
    }
    redelivered.add(claimed.size());
    if (!claimed.isEmpty()) {
      log.debug("claimed {} undelivered outcome(s) to report again", claimed.size());
    }
    return claimed;
  }

  /**
   * Renews the leases of the outcomes this node's reporter still holds ({@link Outbox#renew}); the
   * outbox's writer thread does too, every 100 ms, until the store closes.
   */
  @Override
  public void renewLeases(Instant sentAfter) {
    Objects.requireNonNull(sentAfter, "sentAfter");
    if (outbox != null) {
      outbox.renew(sentAfter);
    }
  }

  /**
   * The lease must outlive 3 scans: a node's scan claims abandonments for one lease, and another
   * node takes them over only when it ran out.
   */
  @Override
  public void checkScanInterval(Duration scanInterval) {
    Duration min = scanInterval.multipliedBy(3);
    if (lease.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          LEASE
              + " must be at least 3 times the tracker's scan interval ("
              + Durations.format(scanInterval)
              + "), "
              + Durations.format(min)
              + ": "
              + Durations.format(lease));
    }
  }

  @Override
  public FeedbackListener deliveryListener() {
    if (outbox == null) {
      throw new IllegalStateException(
          "this JdbcTrackingStore has no outbox: build it with outbox(true) to add its delivery"
              + " listener to the reporter");
    }
    return outbox.listener();
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public JdbcDialect dialect() {
    return dialect;
  }

  @Override
  public String tableName() {
    return sql.table;
  }

  @Override
  public JdbcStoreStats stats() {
    @Nullable DeliveryWriter writer = outbox == null ? null : outbox.writer();
    return new JdbcStoreStats(
        redelivered.sum(),
        writer == null ? 0 : writer.settled(),
        writer == null ? 0 : writer.released(),
        outbox == null ? 0 : outbox.held(),
        writer == null ? 0 : writer.backlog(),
        writer == null ? 0 : writer.writeFailures(),
        calls.failures(),
        retries.retried(),
        retries.lost(),
        calls.degradedSince());
  }

  @Override
  public boolean flush(Duration timeout) {
    return outbox == null || outbox.flush(timeout);
  }

  @Override
  public void close() {
    try {
      if (outbox != null) {
        outbox.close(CLOSE_TIMEOUT);
      }
    } finally {
      calls.close();
      retries.abandon();
    }
  }

  @Override
  public String toString() {
    return "JdbcTrackingStore{table="
        + sql.table
        + ", dialect="
        + dialect.id()
        + ", outbox="
        + (outbox != null ? "on" : "off")
        + ", held="
        + (outbox == null ? 0 : outbox.held())
        + '}';
  }

  // ---------------------------------------------------------------- JDBC plumbing

  private Instant leaseUntil() {
    return leaseUntil(clock.instant());
  }

  private Instant leaseUntil(Instant leaseNow) {
    return leaseNow.plus(lease);
  }

  /**
   * Work made on a caller's thread (the tracker's signals, on request threads): the caller waits at
   * most the statement timeout, the work runs on the store's own threads ({@link BoundedCalls}).
   * PostgreSQL is asked to end it too, so that it gives its connection back: normally with the
   * JDBC query timeout (whole seconds: the statement timeout rounded up), which costs no round
   * trip; while the store is degraded (a call failed or timed out) with {@link #limited}, which
   * bounds lock waits and statements to the statement timeout itself. Not on H2, whose query
   * timeout is the connection's (it would stay on the pool's connection for the app's own
   * statements); H2 runs in the application's JVM and times out its lock waits itself.
   */
  private <T> T bounded(String operation, SqlWork<T> work) {
    return calls.call(
        operation,
        degraded ->
            dialect != JdbcDialect.POSTGRESQL
                ? run(operation, work)
                : degraded
                    ? limited(operation, work)
                    : run(operation, c -> work.apply(QueryTimeout.on(c, queryTimeoutSeconds))));
  }

  /**
   * The work on this thread; on PostgreSQL in a transaction whose {@code lock_timeout} and {@code
   * statement_timeout} are the statement timeout (two more round trips: for retries off the request
   * thread, and for calls while degraded).
   */
  private <T> T limited(String operation, SqlWork<T> work) {
    if (dialect != JdbcDialect.POSTGRESQL) {
      return run(operation, work);
    }
    return transaction(
        operation,
        c -> {
          limitWaits(c);
          return work.apply(c);
        });
  }

  /**
   * A write made on a caller's thread, {@link #bounded}. If it fails or times out while the outbox
   * is on, it is also kept and written again off the request thread ({@link RetriedWrites}) until
   * {@code until}, its OTP's window; a decision written then gets an expired delivery lease, so the
   * next scan claims and reports it. Without the outbox nothing would report such a decision: the
   * failure is only the tracker's error.
   *
   * @param delivery the delivery lease of a decision written now, or null for a write without one
   */
  private <T> T write(
      String operation, Instant until, @Nullable Instant delivery, OutboxWork<T> work) {
    try {
      return bounded(operation, c -> work.apply(c, delivery));
    } catch (JdbcStoreException e) {
      if (outbox != null) {
        retries.add(
            operation,
            until,
            () ->
                limited(operation, c -> work.apply(c, delivery == null ? null : clock.instant())));
      }
      throw e;
    }
  }

  /** PostgreSQL: this transaction waits for a lock, and runs a statement, at most the timeout. */
  private void limitWaits(Connection c) throws SQLException {
    String timeout = statementTimeout.toMillis() + "ms";
    try (PreparedStatement ps = c.prepareStatement(sql.limitWaits)) {
      ps.setString(1, timeout);
      ps.setString(2, timeout);
      ps.executeQuery().close();
    }
  }

  /**
   * Work on one connection in auto-commit (committed at the end if the pool hands out manual-commit
   * ones).
   */
  <T> T run(String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (c.getAutoCommit()) {
        return work.apply(c);
      }
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /** Work as one transaction on one connection. */
  private <T> T transaction(String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      if (auto) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        if (auto) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  private JdbcStoreException failure(String operation, SQLException e) {
    return new JdbcStoreException(
        operation + " on " + sql.table + " failed (SQLState " + e.getSQLState() + ")", e);
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool will find out
    }
  }

  /**
   * Claims rows for this node and returns them. PostgreSQL: one {@code UPDATE ... SET <lease> WHERE
   * umid IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...}. H2: in one transaction, the select,
   * then the lease set on each selected row.
   *
   * @param lease the values of the claim's {@code SET} (instants, the node)
   * @param selection the values of the select's {@code WHERE} and {@code LIMIT}
   */
  private List<TrackedOtp> claim(
      String operation, Sql.Claim claim, Object[] lease, Object[] selection) {
    if (dialect == JdbcDialect.POSTGRESQL) {
      return run(
          operation,
          c -> {
            try (PreparedStatement ps = c.prepareStatement(claim.claim())) {
              bind(ps, 1, lease);
              bind(ps, 1 + lease.length, selection);
              return readAll(ps);
            }
          });
    }
    return transaction(
        operation,
        c -> {
          List<TrackedOtp> rows;
          try (PreparedStatement ps = c.prepareStatement(claim.claim())) {
            bind(ps, 1, selection);
            rows = readAll(ps);
          }
          if (!rows.isEmpty()) {
            try (PreparedStatement mark = c.prepareStatement(claim.mark())) {
              for (TrackedOtp row : rows) {
                bind(mark, 1, lease);
                mark.setObject(1 + lease.length, row.umid());
                mark.addBatch();
              }
              mark.executeBatch();
            }
          }
          return rows;
        });
  }

  /** Binds {@code values} from parameter {@code first} on: instants as timestamps, others as is. */
  private static void bind(PreparedStatement ps, int first, Object[] values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Instant instant) {
        setInstant(ps, first + i, instant);
      } else {
        ps.setObject(first + i, values[i]);
      }
    }
  }

  private static List<TrackedOtp> readAll(PreparedStatement ps) throws SQLException {
    List<TrackedOtp> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(read(rs));
      }
    }
    return rows;
  }

  private static TrackedOtp read(ResultSet rs) throws SQLException {
    UUID umid = rs.getObject(1, UUID.class);
    SentOtp otp = new SentOtp(rs.getString(2), umid, instant(rs, 3));
    return new TrackedOtp(
        otp,
        TrackingState.valueOf(rs.getString(4)),
        rs.getInt(5),
        instant(rs, 6),
        nullableInstant(rs, 7),
        rs.getLong(8));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return Objects.requireNonNull(
        nullableInstant(rs, column), "NULL timestamp in a NOT NULL column");
  }

  private static @Nullable Instant nullableInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static void setInstant(PreparedStatement ps, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(
          index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  private static void requirePositive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  @FunctionalInterface
  interface OutboxWork<T> {
    T apply(Connection c, @Nullable Instant outbox) throws SQLException;
  }

  @FunctionalInterface
  interface SqlParams {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /**
   * A count read from the database at most every {@code refresh}, adjusted by this node's own
   * changes in between. Exact on every call when {@code refresh} is zero.
   */
  private static final class Count {
    private final long refreshNanos;
    private final java.util.function.LongSupplier query;
    private final AtomicLong delta = new AtomicLong();
    private volatile long base;
    private volatile long readAt;
    private volatile boolean read;

    Count(Duration refresh, java.util.function.LongSupplier query) {
      this.refreshNanos = refresh.toNanos();
      this.query = query;
    }

    void add(long n) {
      delta.addAndGet(n);
    }

    /**
     * The count; if counting fails (the database does not answer), the last count adjusted by this
     * node's changes since, so that a send is still recorded (or kept for a retry) without it.
     */
    long get() {
      long now = System.nanoTime();
      if (refreshNanos == 0 || !read || now - readAt >= refreshNanos) {
        synchronized (this) {
          if (refreshNanos == 0 || !read || now - readAt >= refreshNanos) {
            long before = delta.get();
            try {
              long counted = query.getAsLong();
              base = counted - before;
              readAt = System.nanoTime();
              read = true;
            } catch (JdbcStoreException e) {
              log.debug("counting failed; using the last count", e);
            }
          }
        }
      }
      return Math.max(0, base + delta.get());
    }
  }
}
