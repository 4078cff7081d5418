package io.smsfeedback.jdbc.internal;

import io.smsfeedback.jdbc.JdbcDialect;

/** The statements of one table in one dialect. Every statement touches one table. */
final class Sql {

  static final String COLUMNS =
      "umid, sub_account_id, sent_at, state, wrong_codes, abandon_at, decided_at, version";

  /*
   * Conditions of statements that find their row by umid, phrased so that PostgreSQL cannot match
   * them to a partial index and can only use the primary key. With "state = 'PENDING'" or
   * "delivery = 'PENDING'" the planner may read the partial index of that predicate instead (or
   * AND it in), all of it, dead entries included; a prepared statement's cached plan made while the
   * table was small does so however large it grows.
   */

  /** {@code state = 'PENDING'}: {@code decided_at} is null exactly while a record is pending. */
  static final String PENDING_BY_UMID = "decided_at IS NULL";

  /** {@code delivery = 'PENDING'}: the column holds NULL, PENDING or DONE. */
  static final String UNSETTLED_BY_UMID = "delivery <> 'DONE'";

  final String table;
  final String probe;
  final String insert;
  final String find;
  final String compareAndSet;

  /**
   * PostgreSQL: decides a pending row and returns it (state; at, now; delivery, owner, lease
   * until; umid, sent from).
   */
  final String finishIfPending;

  /** Claims pending rows due for abandonment: lease (claimed until); now, lease now, limit. */
  final Claim claimDue;

  /** PostgreSQL: one {@code DELETE}. H2: the select half (umids), then {@link #deleteFinished}. */
  final String purge;

  /** As {@link #purge}. */
  final String evictSettled;

  /** As {@link #purge}. */
  final String evictUndelivered;

  /** H2: deletes one final row (H2 would run a {@code DELETE ... IN (subquery)} per row). */
  final String deleteFinished;

  final String countTracked;
  final String countPending;

  /** Claims undelivered outcomes: lease (owner, lease until); sent after, lease now, limit. */
  final Claim claimUndelivered;

  /** Renews one lease of this node (lease until, umid, owner), run as a JDBC batch. */
  final String renew;

  /**
   * Settles one outcome (parameter: umid), run as a JDBC batch. Not one {@code umid = ANY(?)} for
   * the batch: PostgreSQL caches the plan of a prepared statement, and one made while the table was
   * small scans the table (or the outbox index) instead of the primary key, ever longer as it grows.
   */
  final String settle;

  final String release;

  /** PostgreSQL: the transaction's lock and statement timeouts (both parameters: e.g. 250ms). */
  final String limitWaits =
      "SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)";

  Sql(JdbcDialect dialect, String table) {
    this.table = table;
    boolean pg = dialect == JdbcDialect.POSTGRESQL;
    String skipLocked = " FOR UPDATE SKIP LOCKED";
    probe =
        "SELECT "
            + COLUMNS
            + ", claimed_until, delivery, delivery_owner, delivery_lease_until FROM "
            + table
            + " WHERE 1 = 0";
    insert =
        "INSERT INTO "
            + table
            + " ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + (pg ? " ON CONFLICT (umid) DO NOTHING" : "");
    find = "SELECT " + COLUMNS + " FROM " + table + " WHERE umid = ?";
    // every change ends a claim; a decision may enter the outbox (delivery, owner, lease until)
    String endClaimAndOutbox =
        " claimed_until = NULL, delivery = ?, delivery_owner = ?, delivery_lease_until = ?";
    compareAndSet =
        "UPDATE "
            + table
            + " SET state = ?, wrong_codes = ?, decided_at = ?, version = ?,"
            + endClaimAndOutbox
            + " WHERE umid = ? AND version = ?";
    finishIfPending =
        "UPDATE "
            + table
            + " SET state = ?, decided_at = GREATEST(LEAST(?, ?), sent_at), version = version + 1,"
            + endClaimAndOutbox
            + " WHERE umid = ? AND "
            + PENDING_BY_UMID
            + " AND sent_at >= ? RETURNING "
            + COLUMNS;
    String dueRows =
        " FROM "
            + table
            + " WHERE state = 'PENDING' AND abandon_at <= ?"
            + " AND (claimed_until IS NULL OR claimed_until <= ?)"
            + " ORDER BY abandon_at LIMIT ?"
            + skipLocked;
    claimDue = claim(pg, table, "claimed_until = ?", dueRows);
    String finishedBefore =
        " FROM " + table + " WHERE state <> 'PENDING' AND sent_at < ? ORDER BY sent_at LIMIT ?";
    String settledFirst =
        " FROM "
            + table
            + " WHERE state <> 'PENDING' AND (delivery IS NULL OR delivery <> 'PENDING')"
            + " ORDER BY sent_at LIMIT ?";
    String undeliveredFirst =
        " FROM "
            + table
            + " WHERE state <> 'PENDING' AND delivery = 'PENDING' ORDER BY sent_at LIMIT ?";
    purge = pg ? deleteIn(table, finishedBefore + skipLocked) : "SELECT umid" + finishedBefore;
    evictSettled = pg ? deleteIn(table, settledFirst + skipLocked) : "SELECT umid" + settledFirst;
    evictUndelivered =
        pg ? deleteIn(table, undeliveredFirst + skipLocked) : "SELECT umid" + undeliveredFirst;
    deleteFinished = "DELETE FROM " + table + " WHERE umid = ? AND state <> 'PENDING'";
    countTracked = "SELECT COUNT(*) FROM " + table;
    countPending = "SELECT COUNT(*) FROM " + table + " WHERE state = 'PENDING'";
    String undeliveredRows =
        " FROM "
            + table
            + " WHERE delivery = 'PENDING' AND sent_at > ?"
            + " AND (delivery_lease_until IS NULL OR delivery_lease_until <= ?)"
            + " ORDER BY sent_at LIMIT ?"
            + skipLocked;
    claimUndelivered =
        claim(pg, table, "delivery_owner = ?, delivery_lease_until = ?", undeliveredRows);
    renew =
        "UPDATE "
            + table
            + " SET delivery_lease_until = ? WHERE umid = ? AND "
            + UNSETTLED_BY_UMID
            + " AND delivery_owner = ?";
    settle =
        "UPDATE "
            + table
            + " SET delivery = 'DONE', delivery_owner = NULL, delivery_lease_until = NULL"
            + " WHERE umid = ? AND "
            + UNSETTLED_BY_UMID;
    release =
        "UPDATE "
            + table
            + " SET delivery_owner = NULL, delivery_lease_until = NULL"
            + " WHERE umid = ? AND "
            + UNSETTLED_BY_UMID
            + " AND delivery_owner = ?";
  }

  /**
   * A claim: the rows a select finds ({@code FOR UPDATE SKIP LOCKED}) get a lease ({@code SET
   * lease}), and are returned. PostgreSQL: {@code claim} is one {@code UPDATE ... RETURNING}, the
   * lease's parameters first, then the select's. H2: {@code claim} is the select (its parameters
   * only), then {@code mark} leases one row (the lease's parameters, then the umid).
   */
  record Claim(String claim, String mark) {}

  private static Claim claim(boolean pg, String table, String lease, String selectRest) {
    String mark = "UPDATE " + table + " SET " + lease + " WHERE umid = ?";
    if (!pg) {
      return new Claim("SELECT " + COLUMNS + selectRest, mark);
    }
    return new Claim(
        "UPDATE "
            + table
            + " SET "
            + lease
            + " WHERE umid IN (SELECT umid"
            + selectRest
            + ") RETURNING "
            + COLUMNS,
        mark);
  }

  private static String deleteIn(String table, String selectRest) {
    return "DELETE FROM " + table + " WHERE umid IN (SELECT umid" + selectRest + ")";
  }
}
