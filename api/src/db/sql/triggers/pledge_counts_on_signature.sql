-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0027_pledge_counts.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `pledge_counts_on_signature` AFTER UPDATE OF `status`, `flag` ON `signatures`
WHEN (OLD.`status` = 'counted' AND OLD.`flag` IS NULL) IS NOT (NEW.`status` = 'counted' AND NEW.`flag` IS NULL)
BEGIN
	INSERT INTO `pledge_action_counts` (`action_id`, `campaign_id`, `pledged`, `reminded`, `kept`, `cant`, `version`, `updated_at`)
	SELECT c.`action_id`, c.`campaign_id`,
		x.`d` * (c.`state` <> 'cant'),
		x.`d` * (c.`state` <> 'cant' AND (c.`reminded_before_at` IS NOT NULL OR c.`reminded_day_at` IS NOT NULL)),
		x.`d` * (c.`kept_at` IS NOT NULL),
		x.`d` * (c.`state` = 'cant'),
		1, COALESCE(NEW.`confirmed_at`, NEW.`created_at`)
	FROM `pledge_commitments` c,
		(SELECT (NEW.`status` = 'counted' AND NEW.`flag` IS NULL) - (OLD.`status` = 'counted' AND OLD.`flag` IS NULL) AS `d`) AS x
	WHERE c.`signature_id` = NEW.`id`
	ON CONFLICT (`action_id`) DO UPDATE SET
		`pledged` = `pledged` + excluded.`pledged`,
		`reminded` = `reminded` + excluded.`reminded`,
		`kept` = `kept` + excluded.`kept`,
		`cant` = `cant` + excluded.`cant`,
		`version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, excluded.`updated_at`);
END;
