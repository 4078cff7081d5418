-- sms-feedback-jdbc schema for H2 2.x, native or MODE=PostgreSQL (table prefix "sms_feedback_";
-- the store replaces it with sms.feedback.jdbc.table-prefix when it creates the schema itself).
-- Idempotent. Same columns as schema-postgresql.sql; H2 has no partial indexes.

CREATE TABLE IF NOT EXISTS sms_feedback_tracked_otp (
  umid                 UUID                        NOT NULL PRIMARY KEY,
  sub_account_id       VARCHAR(50)                 NOT NULL,
  sent_at              TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  state                VARCHAR(16)                 NOT NULL,
  wrong_codes          INTEGER                     NOT NULL,
  abandon_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  decided_at           TIMESTAMP(6) WITH TIME ZONE,
  version              BIGINT                      NOT NULL,
  claimed_until        TIMESTAMP(6) WITH TIME ZONE,
  delivery             VARCHAR(8),
  delivery_owner       UUID,
  delivery_lease_until TIMESTAMP(6) WITH TIME ZONE
);

CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_due
  ON sms_feedback_tracked_otp (state, abandon_at);

CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_finished
  ON sms_feedback_tracked_otp (sent_at);

CREATE INDEX IF NOT EXISTS sms_feedback_tracked_otp_undelivered
  ON sms_feedback_tracked_otp (delivery, sent_at);
