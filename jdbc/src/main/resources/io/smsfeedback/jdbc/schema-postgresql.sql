-- sms-feedback-jdbc schema for PostgreSQL 12+ (table prefix "sms_feedback_"; the store replaces it
-- with sms.feedback.jdbc.table-prefix when it creates the schema itself). Idempotent.
--
-- One row per umid. state: PENDING, VERIFIED, SUPERSEDED, MAX_ATTEMPTS, ABANDONED, EXPIRED.
-- claimed_until: an abandonment scan's claim on a PENDING row (cleared by every state change).
-- delivery: NULL (nothing to deliver), PENDING (decided, not yet settled by a reporter), DONE.
-- delivery_owner / delivery_lease_until: the node delivering a PENDING outcome, until when.

CREATE TABLE IF NOT EXISTS sms_feedback_tracked_otp (
  umid                 UUID         NOT NULL PRIMARY KEY,
  sub_account_id       VARCHAR(50)  NOT NULL,
  sent_at              TIMESTAMPTZ  NOT NULL,
  state                VARCHAR(16)  NOT NULL,
  wrong_codes          INTEGER      NOT NULL,
  abandon_at           TIMESTAMPTZ  NOT NULL,
  decided_at           TIMESTAMPTZ,
  version              BIGINT       NOT NULL,
  claimed_until        TIMESTAMPTZ,
  delivery             VARCHAR(8),
  delivery_owner       UUID,
  delivery_lease_until TIMESTAMPTZ
);

-- abandonment scan: pending rows by due time
CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_due
  ON sms_feedback_tracked_otp (abandon_at) WHERE state = 'PENDING';

-- purge and eviction: final rows by send time
CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_finished
  ON sms_feedback_tracked_otp (sent_at) WHERE state <> 'PENDING';

-- outbox: undelivered outcomes by send time
CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_undelivered
  ON sms_feedback_tracked_otp (sent_at) WHERE delivery = 'PENDING';
