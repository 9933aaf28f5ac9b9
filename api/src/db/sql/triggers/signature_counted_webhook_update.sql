-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0009_admin_tokens_audit_exports.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `signature_counted_webhook_update` AFTER UPDATE OF `status` ON `signatures`
WHEN OLD.`status` = 'pending' AND NEW.`status` = 'counted' AND NEW.`flag` IS NULL
BEGIN
	INSERT INTO `outbox` (`id`, `kind`, `campaign_id`, `signature_id`, `payload`, `status`, `attempts`, `next_attempt_at`, `created_at`)
	SELECT lower(hex(randomblob(16))), 'webhook', NEW.`campaign_id`, NEW.`id`,
		json_object('webhookId', w.`id`, 'event', 'signature.confirmed'), 'pending', 0,
		COALESCE(NEW.`confirmed_at`, NEW.`created_at`), COALESCE(NEW.`confirmed_at`, NEW.`created_at`)
	FROM `webhooks` w
	WHERE w.`campaign_id` = NEW.`campaign_id` AND w.`disabled_at` IS NULL
		AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE `value` = 'signature.confirmed');
END;
