-- Custom SQL migration: rate limits decided in SQL, inside the write transaction.
--
-- The intake view gains the source IP's keyed hash, the e-mail domain's keyed hash and the limits in force
-- (`rate_limits`, JSON: ipBurst/ipBurstMs, ipWindow/ipWindowMs, domainBurst/…; a missing or null limit is
-- off). A signature whose source or domain already has that many signatures in the campaign within the
-- period is stored as `pending` with `flag = 'suspect'`: never counted, never sent a message, and its
-- caller's answer is the same. Earlier suspects count towards the limit, so a flood stays suspect.
-- Maintenance: if a later migration rebuilds `signatures`, drop and recreate this view and its triggers.
DROP TRIGGER `signature_intake_insert`;
--> statement-breakpoint
DROP VIEW `signature_intake`;
--> statement-breakpoint
CREATE VIEW `signature_intake` AS
SELECT
	`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
	`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
	`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`, `source_hash`, `domain_hash`,
	CAST(NULL AS BLOB) AS `email_hmac`,
	CAST(NULL AS BLOB) AS `phone_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_key_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_body_hmac`,
	CAST(NULL AS TEXT) AS `rate_limits`
FROM `signatures` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `signature_intake_insert` INSTEAD OF INSERT ON `signature_intake`
BEGIN
	INSERT INTO `signatures` (
		`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
	`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
	`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`, `source_hash`, `domain_hash`, `flag`
	)
	SELECT
		NEW.`id`, NEW.`campaign_id`, CASE WHEN f.`flag` IS NULL THEN NEW.`status` ELSE 'pending' END,
		NEW.`name_enc`, NEW.`email_enc`, NEW.`phone_enc`, NEW.`comment_enc`,
		NEW.`county`, NEW.`locale`, NEW.`consent_terms`, NEW.`consent_public_name`, NEW.`consent_share_with_targets`,
		NEW.`consent_updates`, NEW.`consent_version`, NEW.`consent_at`, NEW.`origin`, NEW.`source_ref`, NEW.`created_at`,
		NEW.`confirm_channel`, NEW.`source_hash`, NEW.`domain_hash`, f.`flag`
	FROM (
		SELECT CASE WHEN
			(NEW.`source_hash` IS NOT NULL AND (
			(SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
				AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipBurstMs')) >= json_extract(NEW.`rate_limits`, '$.ipBurst')
			OR (SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
				AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipWindowMs')) >= json_extract(NEW.`rate_limits`, '$.ipWindow')))
			OR (NEW.`domain_hash` IS NOT NULL AND (
			(SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
				AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainBurstMs')) >= json_extract(NEW.`rate_limits`, '$.domainBurst')
			OR (SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
				AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainWindowMs')) >= json_extract(NEW.`rate_limits`, '$.domainWindow')))
		THEN 'suspect' END AS `flag`
	) AS f
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
-- A suspect signature never moves into the counts, even if its status were changed.
DROP TRIGGER `signature_confirmed`;
--> statement-breakpoint
CREATE TRIGGER `signature_confirmed` AFTER UPDATE OF `status` ON `signatures`
WHEN OLD.`status` = 'pending' AND NEW.`status` = 'counted' AND NEW.`flag` IS NULL
BEGIN
	UPDATE `campaign_counts`
	SET `counted` = `counted` + 1, `pending` = `pending` - 1, `version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, COALESCE(NEW.`confirmed_at`, `updated_at`))
	WHERE `campaign_id` = NEW.`campaign_id` AND (`bucket` = 'total' OR `bucket` = NEW.`county`);
END;
