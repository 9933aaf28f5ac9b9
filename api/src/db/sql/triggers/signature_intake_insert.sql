-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0017_capped_limit_counts.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `signature_intake_insert` INSTEAD OF INSERT ON `signature_intake`
BEGIN
	-- Each limit counts at most as many attempts as it allows (LIMIT): enough to decide "over the limit", and
	-- a carrier's shared address or a mail provider with a hundred thousand attempts costs no more than one
	-- with five (migration 0017; before, every attempt in the window was counted, for every submission).
	INSERT INTO `signatures` (
		`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
		`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
		`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`, `source_hash`, `domain_hash`, `phone_hash`,
		`flag`, `flag_reason`
	)
	SELECT
		NEW.`id`, NEW.`campaign_id`, CASE WHEN f.`flag` IS NULL THEN NEW.`status` ELSE 'pending' END,
		NEW.`name_enc`, NEW.`email_enc`, NEW.`phone_enc`, NEW.`comment_enc`,
		NEW.`county`, NEW.`locale`, NEW.`consent_terms`, NEW.`consent_public_name`, NEW.`consent_share_with_targets`,
		NEW.`consent_updates`, NEW.`consent_version`, NEW.`consent_at`, NEW.`origin`, NEW.`source_ref`, NEW.`created_at`,
		NEW.`confirm_channel`, NEW.`source_hash`, NEW.`domain_hash`, NEW.`phone_hash`, f.`flag`, f.`reason`
	FROM (
		SELECT
			CASE WHEN s.`suspect` OR h.`held` THEN 'suspect' END AS `flag`,
			CASE WHEN NOT s.`suspect` AND h.`held` THEN 'household' END AS `reason`
		FROM (
			SELECT (
				json_extract(NEW.`rate_limits`, '$.suspect') = 1
				OR (NEW.`source_hash` IS NOT NULL AND (
				(SELECT COUNT(*) FROM (SELECT 1 FROM `signing_attempts` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipBurstMs') LIMIT COALESCE(json_extract(NEW.`rate_limits`, '$.ipBurst'), 0))) >= json_extract(NEW.`rate_limits`, '$.ipBurst')
				OR (SELECT COUNT(*) FROM (SELECT 1 FROM `signing_attempts` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipWindowMs') LIMIT COALESCE(json_extract(NEW.`rate_limits`, '$.ipWindow'), 0))) >= json_extract(NEW.`rate_limits`, '$.ipWindow')))
				OR (NEW.`domain_hash` IS NOT NULL AND (
				(SELECT COUNT(*) FROM (SELECT 1 FROM `signing_attempts` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainBurstMs') LIMIT COALESCE(json_extract(NEW.`rate_limits`, '$.domainBurst'), 0))) >= json_extract(NEW.`rate_limits`, '$.domainBurst')
				OR (SELECT COUNT(*) FROM (SELECT 1 FROM `signing_attempts` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainWindowMs') LIMIT COALESCE(json_extract(NEW.`rate_limits`, '$.domainWindow'), 0))) >= json_extract(NEW.`rate_limits`, '$.domainWindow')))
			) IS 1 AS `suspect`
		) AS s, (
			SELECT (
				NEW.`status` = 'counted' AND NEW.`phone_hash` IS NOT NULL
				AND (SELECT COUNT(*) FROM (SELECT 1 FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `phone_hash` = NEW.`phone_hash`
					AND `status` = 'counted' AND `flag` IS NULL AND (`confirm_channel` IS NULL OR `confirm_channel` = 'sms')
					LIMIT COALESCE(json_extract(NEW.`rate_limits`, '$.household'), 2)))
					>= COALESCE(json_extract(NEW.`rate_limits`, '$.household'), 2)
			) IS 1 AS `held`
		) AS h
	) AS f
	WHERE NOT EXISTS (
		SELECT 1 FROM `signature_dedupe` d JOIN `signatures` holder ON holder.`id` = d.`signature_id`
		WHERE d.`campaign_id` = NEW.`campaign_id` AND d.`key_hmac` IN (NEW.`email_hmac`, NEW.`phone_hmac`)
			AND (
				(holder.`status` = 'counted' AND (holder.`confirm_channel` IS NULL
					OR holder.`confirm_channel` = CASE d.`kind` WHEN 'phone' THEN 'sms' ELSE 'email' END))
				OR (f.`flag` IS NOT NULL AND f.`reason` IS NULL AND holder.`flag` IS NULL)
			)
	)
	AND NOT EXISTS (
		SELECT 1 FROM `idempotency_keys`
		WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` = NEW.`idempotency_key_hmac`
			AND (`body_hmac` <> NEW.`idempotency_body_hmac` OR `submission_id` <> NEW.`id`)
	);
	UPDATE `signatures` SET `superseded_by` = NEW.`id`, `superseded_at` = NEW.`created_at`
	WHERE `status` = 'pending' AND `superseded_by` IS NULL AND `id` <> NEW.`id`
		AND `id` IN (
			SELECT `signature_id` FROM `signature_dedupe`
			WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` IN (NEW.`email_hmac`, NEW.`phone_hmac`)
		)
		AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
	UPDATE `signatures` SET
		`email_enc` = CASE WHEN `confirm_channel` = 'sms' AND `id` IN (
			SELECT `signature_id` FROM `signature_dedupe` WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` = NEW.`email_hmac`
		) THEN NULL ELSE `email_enc` END,
		`phone_enc` = CASE WHEN `confirm_channel` = 'email' AND `id` IN (
			SELECT `signature_id` FROM `signature_dedupe` WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` = NEW.`phone_hmac`
		) THEN NULL ELSE `phone_enc` END,
		`phone_hash` = CASE WHEN `confirm_channel` = 'email' AND `id` IN (
			SELECT `signature_id` FROM `signature_dedupe` WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` = NEW.`phone_hmac`
		) THEN NULL ELSE `phone_hash` END
	WHERE `status` = 'counted' AND `confirm_channel` IS NOT NULL
		AND `id` IN (
			SELECT `signature_id` FROM `signature_dedupe`
			WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` IN (NEW.`email_hmac`, NEW.`phone_hmac`)
		)
		AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
	-- By rowid from two indexed lookups (an OR of the two conditions would scan the campaign).
	DELETE FROM `signature_dedupe` WHERE `rowid` IN (
		SELECT `rowid` FROM `signature_dedupe` WHERE `campaign_id` = NEW.`campaign_id` AND `key_hmac` IN (NEW.`email_hmac`, NEW.`phone_hmac`)
		UNION ALL
		SELECT `rowid` FROM `signature_dedupe` WHERE `signature_id` IN (SELECT `id` FROM `signatures` WHERE `superseded_by` = NEW.`id`)
	) AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
	INSERT INTO `signature_dedupe` (`campaign_id`, `key_hmac`, `kind`, `signature_id`)
	SELECT NEW.`campaign_id`, NEW.`email_hmac`, 'email', NEW.`id`
	WHERE NEW.`email_hmac` IS NOT NULL AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`)
	UNION ALL
	SELECT NEW.`campaign_id`, NEW.`phone_hmac`, 'phone', NEW.`id`
	WHERE NEW.`phone_hmac` IS NOT NULL AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
	-- A submission that was not stored does the same work as one that was, then undoes it: its row and a
	-- confirmation message are written and deleted again in this transaction. The commit then writes and
	-- syncs as many pages for a duplicate as for a new signature, so the time of the answer does not tell a
	-- stranger whether a contact had signed (measured in docs/performance.md, which is also how the decoy
	-- was sized: with its blind-index rows as well, duplicates answered measurably later). It is flagged so
	-- that no trigger acts on it (no webhook, no count), and nothing of it remains.
	INSERT INTO `signatures` (
		`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
		`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
		`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`, `source_hash`, `domain_hash`, `phone_hash`,
		`flag`, `flag_reason`
	)
	SELECT
		NEW.`id`, NEW.`campaign_id`, 'pending', NEW.`name_enc`, NEW.`email_enc`, NEW.`phone_enc`, NEW.`comment_enc`,
		NEW.`county`, NEW.`locale`, NEW.`consent_terms`, NEW.`consent_public_name`, NEW.`consent_share_with_targets`,
		NEW.`consent_updates`, NEW.`consent_version`, NEW.`consent_at`, NEW.`origin`, NEW.`source_ref`, NEW.`created_at`,
		NEW.`confirm_channel`, NEW.`source_hash`, NEW.`domain_hash`, NEW.`phone_hash`, 'suspect', 'decoy'
	WHERE NOT EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id`);
	INSERT INTO `outbox` (`id`, `kind`, `campaign_id`, `signature_id`, `payload`, `status`, `attempts`, `next_attempt_at`, `created_at`, `contact_hmac`)
	SELECT lower(hex(randomblob(16))), 'confirm-' || NEW.`confirm_channel`, NEW.`campaign_id`, NEW.`id`,
		json_object('to', COALESCE(NEW.`email_enc`, NEW.`phone_enc`), 'locale', COALESCE(NEW.`locale`, 'en')), 'skipped', 0,
		NEW.`created_at`, NEW.`created_at`, COALESCE(NEW.`email_hmac`, NEW.`phone_hash`)
	WHERE NEW.`confirm_channel` IS NOT NULL AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id` AND `flag_reason` = 'decoy');
	-- Explicitly, not by the foreign keys' cascade: a libSQL server may run without foreign keys enforced.
	DELETE FROM `outbox` WHERE `signature_id` = NEW.`id` AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`id` AND `flag_reason` = 'decoy');
	DELETE FROM `signatures` WHERE `id` = NEW.`id` AND `flag_reason` = 'decoy';
	-- Last: this attempt counts towards the limits of the ones after it, stored or not.
	INSERT INTO `signing_attempts` (`campaign_id`, `source_hash`, `domain_hash`, `created_at`)
	SELECT NEW.`campaign_id`, NEW.`source_hash`, NEW.`domain_hash`, NEW.`created_at`
	WHERE NEW.`source_hash` IS NOT NULL OR NEW.`domain_hash` IS NOT NULL;
END;
