CREATE TABLE `code_attempts` (
	`signature_id` text PRIMARY KEY NOT NULL,
	`attempts` integer NOT NULL,
	`resends` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `campaigns` ADD `phone_household` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `contact_hmac` blob;--> statement-breakpoint
CREATE INDEX `outbox_contact_idx` ON `outbox` (`campaign_id`,`contact_hmac`,`created_at`);--> statement-breakpoint
ALTER TABLE `signatures` ADD `flag_reason` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `superseded_by` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `superseded_at` integer;--> statement-breakpoint
ALTER TABLE `signatures` ADD `phone_hash` blob;--> statement-breakpoint
ALTER TABLE `signatures` ADD `code_gen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `signatures_phone_idx` ON `signatures` (`campaign_id`,`phone_hash`) WHERE "signatures"."status" = 'counted' AND "signatures"."flag" is null;--> statement-breakpoint
CREATE INDEX `signatures_superseded_idx` ON `signatures` (`superseded_by`) WHERE "signatures"."superseded_by" IS NOT NULL;
--> statement-breakpoint
-- Custom SQL (issue 10): the owner of a contact decides.
--
-- 1. `phone_hash` of existing rows is their phone's old dedupe key (HMAC of the E.164 number): the same
--    value. The phone's dedupe key becomes per phone AND name (a family phone, `phone_household`); rows
--    stored before this migration get their new key from `backfillPhoneNameKeys` (src/db/backfill.ts),
--    which needs the keys and runs at start-up and in `imlu migrate`.
UPDATE `signatures` SET `phone_hash` = (
	SELECT d.`key_hmac` FROM `signature_dedupe` d WHERE d.`signature_id` = `signatures`.`id` AND d.`kind` = 'phone'
) WHERE `phone_enc` IS NOT NULL;
--> statement-breakpoint
-- 2. The intake view gains `phone_hash`; `rate_limits` (JSON) also carries `household`.
DROP TRIGGER `signature_intake_insert`;
--> statement-breakpoint
DROP VIEW `signature_intake`;
--> statement-breakpoint
CREATE VIEW `signature_intake` AS
SELECT
	`id`, `campaign_id`, `status`, `name_enc`, `email_enc`, `phone_enc`, `comment_enc`, `county`, `locale`,
	`consent_terms`, `consent_public_name`, `consent_share_with_targets`, `consent_updates`, `consent_version`,
	`consent_at`, `origin`, `source_ref`, `created_at`, `confirm_channel`, `source_hash`, `domain_hash`, `phone_hash`,
	CAST(NULL AS BLOB) AS `email_hmac`,
	CAST(NULL AS BLOB) AS `phone_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_key_hmac`,
	CAST(NULL AS BLOB) AS `idempotency_body_hmac`,
	CAST(NULL AS TEXT) AS `rate_limits`
FROM `signatures` WHERE 0;
--> statement-breakpoint
-- 3. The intake. A submission is stored unless one of its contacts is held by a signature that binds it:
--    a confirmed signature that proved that contact (confirmed through it, or a campaign without
--    confirmation, where the first word counts by design), or — for a suspect submission — any signature
--    that is not suspect (a flood never displaces a real signer). Once stored, it SUPERSEDES the unconfirmed
--    holders of its contacts (their details are replaced by the latest word; they are kept for review,
--    never counted, confirmed or messaged), and takes over a contact that a confirmed signature holds but
--    never proved (that signature keeps its place and loses the contact). A keyed retry is never stored
--    twice: a record for its Idempotency-Key made by another submission stops it (the writer replays that
--    record's answer). Suspect flags are 0011's; on campaigns without confirmation a name beyond the
--    family-phone limit is held for review (`flag_reason` = `household`).
CREATE TRIGGER `signature_intake_insert` INSTEAD OF INSERT ON `signature_intake`
BEGIN
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
				(SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipBurstMs')) >= json_extract(NEW.`rate_limits`, '$.ipBurst')
				OR (SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `source_hash` = NEW.`source_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.ipWindowMs')) >= json_extract(NEW.`rate_limits`, '$.ipWindow')))
				OR (NEW.`domain_hash` IS NOT NULL AND (
				(SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainBurstMs')) >= json_extract(NEW.`rate_limits`, '$.domainBurst')
				OR (SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `domain_hash` = NEW.`domain_hash`
					AND `created_at` > NEW.`created_at` - json_extract(NEW.`rate_limits`, '$.domainWindowMs')) >= json_extract(NEW.`rate_limits`, '$.domainWindow')))
			) IS 1 AS `suspect`
		) AS s, (
			SELECT (
				NEW.`status` = 'counted' AND NEW.`phone_hash` IS NOT NULL
				AND (SELECT COUNT(*) FROM `signatures` WHERE `campaign_id` = NEW.`campaign_id` AND `phone_hash` = NEW.`phone_hash`
					AND `status` = 'counted' AND `flag` IS NULL AND (`confirm_channel` IS NULL OR `confirm_channel` = 'sms'))
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
END;
--> statement-breakpoint
-- 4. One trigger keeps the running totals right whenever a stored signature changes what it contributes:
--    confirmed (pending → counted), held for review or flagged (→ suspect), superseded (leaves pending),
--    invalidated. It replaces 0008's `signature_confirmed`. A row contributes to `counted` when counted and
--    unflagged, to `pending` when pending, unflagged and not superseded, and to `suspect` when suspect (as
--    moderation's exact recount counts them).
--    It upserts, because a row superseded within its own write batch is subtracted before the writer adds
--    the batch (the writer adds every row as inserted, superseded or not, so the two cancel).
DROP TRIGGER `signature_confirmed`;
--> statement-breakpoint
CREATE TRIGGER `signature_counts_on_update` AFTER UPDATE OF `status`, `flag`, `superseded_by` ON `signatures`
WHEN (OLD.`status` = 'counted' AND OLD.`flag` IS NULL) IS NOT (NEW.`status` = 'counted' AND NEW.`flag` IS NULL)
	OR (OLD.`status` = 'pending' AND OLD.`flag` IS NULL AND OLD.`superseded_by` IS NULL)
		IS NOT (NEW.`status` = 'pending' AND NEW.`flag` IS NULL AND NEW.`superseded_by` IS NULL)
	OR (OLD.`flag` IS 'suspect') IS NOT (NEW.`flag` IS 'suspect')
BEGIN
	INSERT INTO `campaign_counts` (`campaign_id`, `bucket`, `counted`, `pending`, `suspect`, `version`, `updated_at`)
	SELECT NEW.`campaign_id`, b.`bucket`,
		(NEW.`status` = 'counted' AND NEW.`flag` IS NULL) - (OLD.`status` = 'counted' AND OLD.`flag` IS NULL),
		(NEW.`status` = 'pending' AND NEW.`flag` IS NULL AND NEW.`superseded_by` IS NULL)
			- (OLD.`status` = 'pending' AND OLD.`flag` IS NULL AND OLD.`superseded_by` IS NULL),
		(NEW.`flag` IS 'suspect') - (OLD.`flag` IS 'suspect'),
		1, COALESCE(NEW.`confirmed_at`, NEW.`superseded_at`, NEW.`created_at`)
	FROM (SELECT 'total' AS `bucket` UNION ALL SELECT NEW.`county` WHERE NEW.`county` IS NOT NULL) AS b
	WHERE true
	ON CONFLICT (`campaign_id`, `bucket`) DO UPDATE SET
		`counted` = `counted` + excluded.`counted`,
		`pending` = `pending` + excluded.`pending`,
		`suspect` = `suspect` + excluded.`suspect`,
		`version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, excluded.`updated_at`);
END;
