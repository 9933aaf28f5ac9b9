-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0012_owner_decides.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
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
