-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0004_confirmation_triggers.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `outbox_counts_confirmation_sends` AFTER INSERT ON `outbox`
WHEN NEW.`signature_id` IS NOT NULL AND NEW.`kind` IN ('confirm-email', 'confirm-sms')
BEGIN
	UPDATE `signatures` SET `confirmation_sends` = `confirmation_sends` + 1 WHERE `id` = NEW.`signature_id`;
END;
