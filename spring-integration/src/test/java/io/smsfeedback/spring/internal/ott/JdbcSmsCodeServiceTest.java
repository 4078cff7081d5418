package io.smsfeedback.spring.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;

/** The rules on an in-memory H2 database; two services on one database are two nodes. */
class JdbcSmsCodeServiceTest extends SmsCodesContractTest {

  private DataSource dataSource;

  @Override
  SmsCodes create(OttSettings settings) {
    if (dataSource == null) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:ott" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      dataSource = h2;
    }
    JdbcSmsCodeService codes = new JdbcSmsCodeService(dataSource, "sms_feedback_", settings, clock);
    codes.createSchemaIfMissing();
    return codes;
  }

  @Override
  int size() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM sms_feedback_ott_code")) {
      r.next();
      return r.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void codeSentByOneNode_isUsableOnAnotherOnce() {
    SmsCodes other = create(SETTINGS);
    String code = generate("alice");
    assertThat(other.consume(new SmsCodeAuthenticationToken("alice", code))).isNotNull();
    assertThat(consume("alice", code)).isNull();
  }

  @Test
  void wrongCodesOnAnyNode_countTowardsTheLimit() {
    SmsCodes other = create(SETTINGS);
    String code = generate("alice");
    for (int i = 0; i < 5; i++) {
      SmsCodes node = i % 2 == 0 ? service : other;
      assertThat(node.consume(new SmsCodeAuthenticationToken("alice", wrong(code)))).isNull();
    }
    assertThat(consume("alice", code)).isNull();
  }

  @Test
  void generate_deletesExpiredCodes() {
    generate("old");
    clock.advance(java.time.Duration.ofMinutes(6));
    generate("new");
    assertThat(size()).isEqualTo(1);
  }

  @Test
  void createSchemaIfMissing_isRepeatable() {
    ((JdbcSmsCodeService) service).createSchemaIfMissing();
    String code = service.generate(new GenerateOneTimeTokenRequest("alice")).getTokenValue();
    assertThat(consume("alice", code)).isNotNull();
  }

  @Test
  void overlongUsername_isNeverStored() {
    String name = "x".repeat(300);
    String code = generate(name);
    assertThat(size()).isZero();
    assertThat(consume(name, code)).isNull();
  }
}
