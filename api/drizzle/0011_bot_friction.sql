CREATE TABLE `altcha_spent` (
	`challenge_hash` blob PRIMARY KEY NOT NULL,
	`key_hmac` blob,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `altcha_spent_expires_idx` ON `altcha_spent` (`expires_at`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `challenge` text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `rate_limits` text;
--> statement-breakpoint
-- Custom SQL: bot friction (issue 4). The request path marks a submission that filled the honeypot or came
-- faster than the minimum fill time with `"suspect": 1` in the `rate_limits` JSON it hands the intake
-- view; the trigger then stores it as `suspect` exactly like a signature over a rate limit: never counted,
-- never sent a message, and answered the same. Otherwise the trigger is 0008's.
DROP TRIGGER `signature_intake_insert`;
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
			json_extract(NEW.`rate_limits`, '$.suspect') = 1
			OR (NEW.`source_hash` IS NOT NULL AND (
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
