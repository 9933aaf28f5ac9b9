-- Custom SQL migration: confirmation (verification modes, outbox, counts moving from pending to counted).
--
-- 1. The boolean `requires_verification` becomes `verification`: true → 'either' (confirm by whichever
--    contact the signer gave), false → 'none'. Migration 0005 drops the old column.
UPDATE `campaigns` SET `verification` = CASE WHEN `requires_verification` THEN 'either' ELSE 'none' END;
--> statement-breakpoint
-- 2. The intake view of migration 0002 gains `confirm_channel`; the trigger is the same otherwise.
DROP TRIGGER `signature_intake_insert`;
--> statement-breakpoint
DROP VIEW `signature_intake`;
--> statement-breakpoint
CREATE VIEW `signature_intake` AS
SELECT
	`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
	`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
	`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`,
	CAST(NULL AS BLOB) AS `email_hmac`,
	CAST(NULL AS BLOB) AS `phone_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_key_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_body_hmac`
FROM `signatures` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `signature_intake_insert` INSTEAD OF INSERT ON `signature_intake`
BEGIN
	INSERT INTO `signatures` (
		`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
		`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
		`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`
	)
	SELECT
		NEW.`id`, NEW.`campaign_id`, NEW.`status`, NEW.`name_enc`, NEW.`email_enc`, NEW.`phone_enc`, NEW.`comment_enc`,
		NEW.`county`, NEW.`locale`, NEW.`consent_terms`, NEW.`consent_public_name`, NEW.`consent_share_with_targets`,
		NEW.`consent_updates`, NEW.`consent_version`, NEW.`consent_at`, NEW.`origin`, NEW.`source_ref`, NEW.`created_at`,
		NEW.`confirm_channel`
	WHERE NOT EXISTS (
		SELECT 1 FROM `signature_dedupe`
		WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` IN (NEW.`email_hmac`, NEW.`phone_hmac`)
	)
	AND NOT EXISTS (
		SELECT 1 FROM `idempotency_keys`
		WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` = NEW.`idempotency_key_hmac`
			AND `body_hmac` <> NEW.`idempotency_body_hmac`
	);
	INSERT INTO `signature_dedupe` (`campaign_id`, `key_hmac`, `kind`, `signature_id`)
	SELECT NEW.`campaign_id`, NEW.`email_hmac`, 'email', NEW.`id`
	WHERE NEW.`email_hmac` IS NOT NULL AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`)
	UNION ALL
	SELECT NEW.`campaign_id`, NEW.`phone_hmac`, 'phone', NEW.`id`
	WHERE NEW.`phone_hmac` IS NOT NULL AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
END;
--> statement-breakpoint
-- 3. A confirmation moves one signature from `pending` to `counted` in its campaign's total and county
--    buckets. Being a trigger on the status change itself, it runs exactly once per signature however many
--    times (or from however many nodes) a link is followed: only the first UPDATE finds it pending.
CREATE TRIGGER `signature_confirmed` AFTER UPDATE OF `status` ON `signatures`
WHEN OLD.`status` = 'pending' AND NEW.`status` = 'counted'
BEGIN
	UPDATE `campaign_counts`
	SET `counted` = `counted` + 1, `pending` = `pending` - 1, `version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, COALESCE(NEW.`confirmed_at`, `updated_at`))
	WHERE `campaign_id` = NEW.`campaign_id` AND (`bucket` = 'total' OR `bucket` = NEW.`county`);
END;
--> statement-breakpoint
-- 4. Every confirmation message queued for a signature counts against its limit of sends.
CREATE TRIGGER `outbox_counts_confirmation_sends` AFTER INSERT ON `outbox`
WHEN NEW.`signature_id` IS NOT NULL AND NEW.`kind` IN ('confirm-email', 'confirm-sms')
BEGIN
	UPDATE `signatures` SET `confirmation_sends` = `confirmation_sends` + 1 WHERE `id` = NEW.`signature_id`;
END;
