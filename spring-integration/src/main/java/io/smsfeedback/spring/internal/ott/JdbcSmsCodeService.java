package io.smsfeedback.spring.internal.ott;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

/**
 * The rules of {@link SmsCodeService}, with the codes in a table ({@code <prefix>ott_code}) shared
 * by every node, so a code sent by one node can be typed in on another (PostgreSQL or H2).
 *
 * <p>Each call is a few autocommit statements; compare-and-set ({@code ... WHERE username = ? AND
 * code = ?}) makes a code single use across nodes and keeps a concurrent resend from being undone.
 * The typed code is compared in Java, in constant time, with the stored one; the database only
 * ever compares stored values with themselves. Expired rows are deleted when codes are generated.
 * The table's size is bounded by the users asking for codes within {@code expiry} (no {@code
 * max-codes} cap); usernames longer than 255 characters are never stored (their code cannot be
 * used).
 */
public final class JdbcSmsCodeService implements SmsCodes {

  /** Table prefix rule of the JDBC store ({@code sms.feedback.jdbc.table-prefix}). */
  private static final Pattern PREFIX = Pattern.compile("|[A-Za-z_][A-Za-z0-9_]{0,39}");

  static final int MAX_USERNAME = 255;

  private final DataSource dataSource;
  private final OttSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final String table;

  public JdbcSmsCodeService(
      DataSource dataSource, String tablePrefix, OttSettings settings, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!PREFIX.matcher(tablePrefix).matches()) {
      throw new IllegalArgumentException(
          "sms.feedback.jdbc.table-prefix must be empty or a letter or '_' and at most 39 of"
              + " A-Za-z0-9_: '"
              + tablePrefix
              + "'");
    }
    this.table = tablePrefix + "ott_code";
  }

  /** The table's name. */
  public String table() {
    return table;
  }

  /** Creates the table and its index if missing ({@code sms.feedback.jdbc.initialize-schema}). */
  public void createSchemaIfMissing() {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (username VARCHAR("
              + MAX_USERNAME
              + ") PRIMARY KEY, code VARCHAR(10) NOT NULL, expires_at BIGINT NOT NULL,"
              + " wrong_tries INTEGER NOT NULL)");
      s.execute(
          "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires_at)");
    } catch (SQLException e) {
      if (!tableExists()) {
        throw new IllegalStateException("cannot create table " + table + ": " + e, e);
      }
    }
  }

  @Override
  public OneTimeToken generate(GenerateOneTimeTokenRequest request) {
    String username = request.getUsername();
    String code = SmsCodes.newCode(random, settings.codeLength());
    long now = clock.millis();
    Instant expiresAt = Instant.ofEpochMilli(now).plus(settings.expiry());
    if (username.length() <= MAX_USERNAME) {
      try (Connection c = connection()) {
        update(c, "DELETE FROM " + table + " WHERE expires_at <= ?", now);
        String set = "UPDATE " + table + " SET code = ?, expires_at = ?, wrong_tries = 0 WHERE username = ?";
        if (update(c, set, code, expiresAt.toEpochMilli(), username) == 0) {
          try {
            update(
                c,
                "INSERT INTO " + table + " (username, code, expires_at, wrong_tries) VALUES (?, ?, ?, 0)",
                username,
                code,
                expiresAt.toEpochMilli());
          } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
              throw e;
            }
            update(c, set, code, expiresAt.toEpochMilli(), username); // a concurrent first code
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot store a sign-in code in " + table + ": " + e, e);
      }
    }
    return new DefaultOneTimeToken(code, username, expiresAt);
  }

  @Override
  public @Nullable OneTimeToken consume(OneTimeTokenAuthenticationToken authenticationToken) {
    String username = SmsCodes.usernameOf(authenticationToken);
    byte[] typed = SmsCodes.typedCode(authenticationToken);
    if (username == null || typed == null || username.length() > MAX_USERNAME) {
      return null;
    }
    long now = clock.millis();
    try (Connection c = connection()) {
      String stored;
      long expiresAt;
      try (PreparedStatement s =
          c.prepareStatement("SELECT code, expires_at FROM " + table + " WHERE username = ?")) {
        s.setString(1, username);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return null;
          }
          stored = r.getString(1);
          expiresAt = r.getLong(2);
        }
      }
      String where = " WHERE username = ? AND code = ?";
      if (expiresAt <= now) {
        update(c, "DELETE FROM " + table + where, username, stored);
        return null;
      }
      if (MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), typed)) {
        int won = update(c, "DELETE FROM " + table + where + " AND expires_at > ?", username, stored, now);
        return won == 1
            ? new DefaultOneTimeToken(stored, username, Instant.ofEpochMilli(expiresAt))
            : null;
      }
      update(c, "UPDATE " + table + " SET wrong_tries = wrong_tries + 1" + where, username, stored);
      update(
          c,
          "DELETE FROM " + table + where + " AND wrong_tries >= ?",
          username,
          stored,
          settings.maxAttempts());
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check a sign-in code in " + table + ": " + e, e);
    }
  }

  @Override
  public void discard(String username) {
    try (Connection c = connection()) {
      update(c, "DELETE FROM " + table + " WHERE username = ?", username);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop a sign-in code from " + table + ": " + e, e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    return c;
  }

  private boolean tableExists() {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static int update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      return s.executeUpdate();
    }
  }
}
