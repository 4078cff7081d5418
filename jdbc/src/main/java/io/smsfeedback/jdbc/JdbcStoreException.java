package io.smsfeedback.jdbc;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A statement of {@link JdbcTrackingStore} failed (the database is down, the table is missing,
 * ...). The message names the operation and the table; the cause is the {@link
 * java.sql.SQLException}. The conversion tracker catches it, counts it and logs it; {@link
 * JdbcTrackingStore.Builder#build()} throws it when the table cannot be used.
 */
public final class JdbcStoreException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  public JdbcStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
