package io.smsfeedback.jdbc;

import io.smsfeedback.FeedbackListener;
import io.smsfeedback.config.Durations;
import io.smsfeedback.config.PropertyReader;
import io.smsfeedback.jdbc.internal.DefaultJdbcTrackingStore;
import io.smsfeedback.store.DeliveryOutbox;
import io.smsfeedback.store.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link TrackingStore} on a SQL database (PostgreSQL, or H2 embedded), shared safely by
 * every node that points at the same table, and a {@link DeliveryOutbox} so that an outcome decided
 * by a node that dies is still delivered by another.
 *
 * <pre>{@code
 * JdbcTrackingStore store =
 *     JdbcTrackingStore.builder(dataSource).initializeSchema(true).outbox(true).build();
 * FeedbackReporter reporter =
 *     FeedbackReporter.builder(settings).addListener(store.deliveryListener()).build();
 * ConversionTracker tracker = ConversionTracker.builder(settings, reporter).store(store).build();
 * // on shutdown, in this order: tracker.close(); reporter.close(); store.close();
 * }</pre>
 *
 * <p><b>Rows.</b> One row per umid (the primary key). A decision is a compare-and-set ({@code
 * UPDATE ... WHERE umid = ? AND version = ?}), so however many nodes race, one wins and only its
 * tracker reports. Abandonment scans claim due rows for a lease with {@code FOR UPDATE SKIP
 * LOCKED}, so nodes split the work and a dead node's claims come back when the lease ends.
 *
 * <p><b>Outbox.</b> Chosen when the store is built ({@link Builder#outbox(boolean)}), never later:
 * with it, a decision also records the outcome as undelivered, leased to this node; the {@link
 * #deliveryListener()}, added to the reporter, settles it when the reporter ends it, the store's
 * writer thread renews the leases this node holds, and the tracker's scan re-reports outcomes whose
 * node stopped renewing its lease. Without it the store records and re-reports nothing, and {@link
 * #deliveryListener()} throws.
 *
 * <p><b>Connections.</b> Every operation borrows one connection from the {@link DataSource}, runs
 * one short transaction (most are one statement in auto-commit) and gives it back: no connection is
 * held between calls. Use a pooled {@code DataSource}; give it the raw pool, not a
 * transaction-aware proxy, so the store's writes never join (or wait for) an application
 * transaction. The store never closes the {@code DataSource}.
 *
 * <p><b>Threading and failure.</b> Thread-safe. A failing statement throws {@link
 * JdbcStoreException}; the tracker catches, counts and logs it. The calls the tracker makes on a
 * request thread ({@code sent}, {@code verified}, ...) run on the store's own daemon threads and
 * give up after the statement timeout (default {@link Builder#DEFAULT_STATEMENT_TIMEOUT}): a locked
 * table or a stopped database never holds a request longer; on PostgreSQL the database ends them
 * too ({@code lock_timeout}, {@code statement_timeout}). After such a failure the store is degraded
 * ({@link JdbcStoreStats#degraded()}): calls fail at once for a second, then one tries again. The outbox writes delivery results
 * on one daemon thread ({@value #WRITER_THREAD_NAME}), batched, retried while the database is down.
 *
 * <p><b>Lifecycle.</b> {@link #close()} writes the delivery results still waiting (for up to {@link
 * #CLOSE_TIMEOUT}) and stops the writer thread; it is idempotent. Close the store after the
 * reporter, so that the results of the reporter's own shutdown are written.
 */
public interface JdbcTrackingStore extends TrackingStore, DeliveryOutbox, AutoCloseable {

  /** Prefix of this module's properties. */
  String PREFIX = "sms.feedback.jdbc.";

  /** {@code true} to create the table and indexes at startup if missing. Default {@code false}. */
  String INITIALIZE_SCHEMA = PREFIX + "initialize-schema";

  /** Prefix of the table and index names. Default {@code sms_feedback_}. */
  String TABLE_PREFIX = PREFIX + "table-prefix";

  /** How long a claim (abandonment scan, delivery) stays with a node that stops renewing it. */
  String LEASE = PREFIX + "lease";

  /** {@code postgresql} or {@code h2}; detected from the connection when absent. */
  String DIALECT = PREFIX + "dialect";

  /** How long a tracker call made on a request thread may wait for the database. */
  String STATEMENT_TIMEOUT = PREFIX + "statement-timeout";

  /** Every key {@link #fromProperties} reads. */
  List<String> PROPERTY_KEYS =
      List.of(INITIALIZE_SCHEMA, TABLE_PREFIX, LEASE, DIALECT, STATEMENT_TIMEOUT);

  /** Name of the outbox's writer thread (a store built with {@link Builder#outbox(boolean)}). */
  String WRITER_THREAD_NAME = "sms-feedback-jdbc-outbox";

  /** How long {@link #close()} keeps writing delivery results that are still waiting. */
  Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A store on {@code dataSource} with the defaults: table {@code sms_feedback_tracked_otp} (which
   * must exist), dialect detected, 30s lease, system clock.
   *
   * @throws JdbcStoreException if the database cannot be reached or the table is missing
   */
  static JdbcTrackingStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for the table prefix, schema creation, dialect, lease and clock. */
  static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * A store configured from {@code sms.feedback.jdbc.*} keys ({@link #PROPERTY_KEYS}); other keys
   * are ignored, blank values count as absent. For frameworks that hand over a property map.
   *
   * @throws IllegalArgumentException naming the first invalid property
   * @throws JdbcStoreException if the database cannot be reached or the table is missing
   */
  static JdbcTrackingStore fromProperties(DataSource dataSource, Map<String, String> properties) {
    return builder(dataSource).properties(properties).build();
  }

  /**
   * The listener that settles this store's outbox; add it to the reporter the tracker reports to.
   *
   * @throws IllegalStateException if the store was built without {@link Builder#outbox(boolean)}
   */
  @Override
  FeedbackListener deliveryListener();

  /**
   * Renews, in one batch, the leases of the outcomes this node's reporter still holds (only those
   * ending within half a lease, at most every quarter lease) and forgets those sent at or before
   * {@code sentAfter}. The writer thread does this every 100 ms until the store closes; the tracker's
   * scan asks too. Nothing without an outbox.
   */
  @Override
  void renewLeases(Instant sentAfter);

  /** The dialect in use. */
  JdbcDialect dialect();

  /** The table's name: the prefix plus {@code tracked_otp}. */
  String tableName();

  /** A snapshot of this node's outbox counters. Cheap. */
  JdbcStoreStats stats();

  /**
   * Waits (in real time) until the delivery results handed to the listener so far are written.
   *
   * @return {@code true} if they were, {@code false} if the timeout passed first
   */
  boolean flush(Duration timeout);

  /**
   * Writes the delivery results still waiting (for up to {@link #CLOSE_TIMEOUT}) and stops the
   * outbox's writer thread, if the store has one. Idempotent; never throws; does not close the
   * {@code DataSource}.
   */
  @Override
  void close();

  /** Builds a {@link JdbcTrackingStore}. Not thread-safe. */
  final class Builder {

    /** Default {@code sms.feedback.jdbc.table-prefix}: {@code sms_feedback_}. */
    public static final String DEFAULT_TABLE_PREFIX = "sms_feedback_";

    /**
     * What a table prefix must match: a plain SQL identifier start of at most 40 characters (or
     * empty), so that every table and index name stays within PostgreSQL's 63 characters.
     */
    public static final Pattern TABLE_PREFIX_PATTERN =
        Pattern.compile("^([A-Za-z_][A-Za-z0-9_]{0,39})?$");

    /**
     * Default lease: 30s. Range [100ms, 5m]; keep it at least 3 times the tracker's scan interval.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /**
     * Default statement timeout: 250ms, a bound a user hardly notices on a request that the
     * database normally answers in a millisecond or two. Range [10ms, 30s].
     */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMillis(250);

    /** Default staleness of {@code countTracked()}/{@code countPending()}: 1s. Range [0, 1m]. */
    public static final Duration DEFAULT_COUNT_REFRESH = Duration.ofSeconds(1);

    private static final Duration MIN_LEASE = Duration.ofMillis(100);
    private static final Duration MAX_LEASE = Duration.ofMinutes(5);
    private static final Duration MAX_COUNT_REFRESH = Duration.ofMinutes(1);
    private static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private boolean initializeSchema;
    private @Nullable JdbcDialect dialect;
    private Duration lease = DEFAULT_LEASE;
    private Duration countRefresh = DEFAULT_COUNT_REFRESH;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private boolean outbox;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Prefix of the table ({@code <prefix>tracked_otp}) and index names; must match {@link
     * #TABLE_PREFIX_PATTERN}. Default {@link #DEFAULT_TABLE_PREFIX}.
     */
    public Builder tablePrefix(String tablePrefix) {
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!TABLE_PREFIX_PATTERN.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException(
            TABLE_PREFIX
                + " must match "
                + TABLE_PREFIX_PATTERN.pattern()
                + ": "
                + PropertyReader.quote(tablePrefix));
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /**
     * Whether {@link #build()} creates the table and its indexes if they are missing ({@code CREATE
     * ... IF NOT EXISTS}, idempotent, safe when several nodes start at once). Default {@code
     * false}: the table must exist (create it with the dialect's {@link
     * JdbcDialect#schemaResource()}).
     */
    public Builder initializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
      return this;
    }

    /** The dialect; default: detected from the connection's metadata. */
    public Builder dialect(JdbcDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * How long an abandonment claim and a delivery lease last without renewal: when a node stops,
     * its claimed umids are abandoned, and its undelivered outcomes re-reported, by another node
     * this long after its last renewal. Delivery leases are renewed by the store until it closes;
     * abandonment claims last one lease from the scan that took them, so a tracker refuses a store
     * whose lease is shorter than 3 of its scan intervals. Range [100ms, 5m]; default {@link
     * #DEFAULT_LEASE}.
     */
    public Builder lease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
        throw new IllegalArgumentException(
            LEASE + " must be between 100ms and 5m: " + Durations.format(lease));
      }
      this.lease = lease;
      return this;
    }

    /**
     * How long a call the tracker makes on a request thread (recording a send, a verification, a
     * wrong code, making room) may wait for the database, the pool's connection included; past it
     * the call fails (the tracker counts an error and the request goes on). On PostgreSQL also the
     * transaction's {@code lock_timeout} and {@code statement_timeout}. Scans, renewals and the
     * outbox's writes run off request threads and are not bounded by it. Range [10ms, 30s]; default
     * {@link #DEFAULT_STATEMENT_TIMEOUT}.
     */
    public Builder statementTimeout(Duration statementTimeout) {
      Objects.requireNonNull(statementTimeout, "statementTimeout");
      if (statementTimeout.compareTo(MIN_STATEMENT_TIMEOUT) < 0
          || statementTimeout.compareTo(MAX_STATEMENT_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            STATEMENT_TIMEOUT
                + " must be between 10ms and 30s: "
                + Durations.format(statementTimeout));
      }
      this.statementTimeout = statementTimeout;
      return this;
    }

    /**
     * How stale {@code countTracked()} and {@code countPending()} may be: they are counted in the
     * database at most this often and adjusted by this node's own changes in between (other nodes'
     * changes show at the next count). {@link Duration#ZERO} counts on every call. Range [0, 1m];
     * default {@link #DEFAULT_COUNT_REFRESH}.
     */
    public Builder countRefresh(Duration countRefresh) {
      Objects.requireNonNull(countRefresh, "countRefresh");
      if (countRefresh.isNegative() || countRefresh.compareTo(MAX_COUNT_REFRESH) > 0) {
        throw new IllegalArgumentException(
            "countRefresh must be between 0 and 1m: " + Durations.format(countRefresh));
      }
      this.countRefresh = countRefresh;
      return this;
    }

    /**
     * Whether the store is also the durable outbox: a decision records its outcome as undelivered,
     * leased to this node, until the reporter's end of it is written; the store's writer thread
     * ({@value JdbcTrackingStore#WRITER_THREAD_NAME}) starts with the store, renews this node's
     * leases and writes the results until {@link JdbcTrackingStore#close()}. Then add {@link
     * JdbcTrackingStore#deliveryListener()} to the reporter the tracker reports to: wire both or
     * neither, since nothing else settles the outcomes. Default {@code false}: no outbox, no
     * writer thread, {@code deliveryListener()} throws.
     */
    public Builder outbox(boolean outbox) {
      this.outbox = outbox;
      return this;
    }

    /**
     * The time source for leases. Use the tracker's clock; nodes' clocks should agree to well
     * within the lease (NTP). Default: the UTC system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Applies the {@code sms.feedback.jdbc.*} keys of {@code properties} ({@link #PROPERTY_KEYS});
     * other keys are ignored, blank values count as absent.
     *
     * @throws IllegalArgumentException naming the first invalid property
     */
    public Builder properties(Map<String, String> properties) {
      PropertyReader r = PropertyReader.of(properties);
      r.bool(INITIALIZE_SCHEMA).ifPresent(this::initializeSchema);
      r.string(TABLE_PREFIX).ifPresent(this::tablePrefix);
      r.duration(LEASE).ifPresent(this::lease);
      r.duration(STATEMENT_TIMEOUT).ifPresent(this::statementTimeout);
      r.oneOf(DIALECT, "postgresql or h2", JdbcDialect::parse).ifPresent(this::dialect);
      return this;
    }

    /**
     * Detects the dialect, creates the schema if asked, checks that the table is usable, and
     * returns the store.
     *
     * @throws JdbcStoreException if the database cannot be reached or the table is missing or lacks
     *     a column
     * @throws IllegalArgumentException if the database is neither PostgreSQL nor H2
     */
    public JdbcTrackingStore build() {
      return DefaultJdbcTrackingStore.open(
          dataSource,
          tablePrefix,
          initializeSchema,
          dialect,
          lease,
          statementTimeout,
          countRefresh,
          clock,
          outbox);
    }
  }
}
