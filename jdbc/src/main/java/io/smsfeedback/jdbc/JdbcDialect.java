package io.smsfeedback.jdbc;

import java.util.Locale;

/**
 * The databases {@link JdbcTrackingStore} speaks. Detected from the connection's metadata unless
 * set on the builder.
 */
public enum JdbcDialect {
  /**
   * PostgreSQL 12 or later: {@code INSERT ... ON CONFLICT DO NOTHING}, claims in one {@code UPDATE
   * ... WHERE umid IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...}, partial indexes.
   */
  POSTGRESQL("postgresql", "PostgreSQL"),
  /**
   * H2 2.x (native or {@code MODE=PostgreSQL}), the embedded option: a duplicate insert is caught
   * as SQLState 23505; a claim is a {@code SELECT ... FOR UPDATE SKIP LOCKED} plus an {@code
   * UPDATE} in one transaction. H2 applies {@code SKIP LOCKED} after {@code LIMIT}, so a scan that
   * meets rows another scan holds returns fewer rows instead of the next ones: correct, less
   * parallel.
   */
  H2("h2", "H2");

  private final String id;
  private final String productName;

  JdbcDialect(String id, String productName) {
    this.id = id;
    this.productName = productName;
  }

  /** The value of {@code sms.feedback.jdbc.dialect}: {@code postgresql} or {@code h2}. */
  public String id() {
    return id;
  }

  /** The classpath resource with this dialect's schema (for the default table prefix). */
  public String schemaResource() {
    return "io/smsfeedback/jdbc/schema-" + id + ".sql";
  }

  /**
   * The dialect for a JDBC {@code DatabaseMetaData.getDatabaseProductName()}.
   *
   * @throws IllegalArgumentException for any other database
   */
  public static JdbcDialect forProductName(String productName) {
    for (JdbcDialect d : values()) {
      if (d.productName.equalsIgnoreCase(productName.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unsupported database \""
            + productName
            + "\": sms-feedback-jdbc supports PostgreSQL and H2");
  }

  /**
   * Parses {@code postgresql} or {@code h2} (any case).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static JdbcDialect parse(String id) {
    String v = id.trim().toLowerCase(Locale.ROOT);
    for (JdbcDialect d : values()) {
      if (d.id.equals(v)) {
        return d;
      }
    }
    throw new IllegalArgumentException("expected postgresql or h2: " + id);
  }
}
