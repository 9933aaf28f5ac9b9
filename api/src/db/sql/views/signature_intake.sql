-- The live definition of this view, as the migrated database holds it (its last form: migration
-- api/drizzle/0012_owner_decides.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
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
