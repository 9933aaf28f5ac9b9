-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0009_admin_tokens_audit_exports.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
