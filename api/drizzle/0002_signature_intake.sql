-- Custom SQL migration file, put your code below! --
-- The signature intake: the signature writer inserts a whole batch with ONE multi-row INSERT into this
-- view, and the trigger below decides per row, in order, inside the write transaction:
--   1. insert the signature unless one of its contacts (e-mail or phone blind index) already signed this
--      campaign, or its Idempotency-Key is already stored with a different body;
--   2. if the signature was inserted, insert its blind-index rows, which the next row then sees.
-- Rows of one statement are processed one after another, so duplicates within a batch are caught like
-- duplicates across batches, and the decision stays in SQL when several API nodes share one sqld server.
-- One statement per batch instead of several per signature is what makes this fast with @libsql/client,
-- whose per-statement overhead dominates small inserts.
-- Maintenance: if a later migration rebuilds the `signatures` table, drop and recreate this view and trigger.
CREATE VIEW `signature_intake` AS
SELECT
	`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
	`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
	`consent_at`, `origin`, `source_ref`, `created_at`,
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
		`consent_at`, `origin`, `source_ref`, `created_at`
	)
	SELECT
		NEW.`id`, NEW.`campaign_id`, NEW.`status`, NEW.`name_enc`, NEW.`email_enc`, NEW.`phone_enc`, NEW.`comment_enc`,
		NEW.`county`, NEW.`locale`, NEW.`consent_terms`, NEW.`consent_public_name`, NEW.`consent_share_with_targets`,
		NEW.`consent_updates`, NEW.`consent_version`, NEW.`consent_at`, NEW.`origin`, NEW.`source_ref`, NEW.`created_at`
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
