-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0027_pledge_counts.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `pledge_counts_on_update` AFTER UPDATE OF `state`, `kept_at`, `reminded_before_at`, `reminded_day_at` ON `pledge_commitments`
WHEN ((OLD.`state` <> 'cant') IS NOT (NEW.`state` <> 'cant')
	OR (OLD.`kept_at` IS NOT NULL) IS NOT (NEW.`kept_at` IS NOT NULL)
	OR (OLD.`state` <> 'cant' AND (OLD.`reminded_before_at` IS NOT NULL OR OLD.`reminded_day_at` IS NOT NULL))
		IS NOT (NEW.`state` <> 'cant' AND (NEW.`reminded_before_at` IS NOT NULL OR NEW.`reminded_day_at` IS NOT NULL)))
	AND EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`signature_id` AND `status` = 'counted' AND `flag` IS NULL)
BEGIN
	INSERT INTO `pledge_action_counts` (`action_id`, `campaign_id`, `pledged`, `reminded`, `kept`, `cant`, `version`, `updated_at`)
	VALUES (
		NEW.`action_id`, NEW.`campaign_id`,
		(NEW.`state` <> 'cant') - (OLD.`state` <> 'cant'),
		(NEW.`state` <> 'cant' AND (NEW.`reminded_before_at` IS NOT NULL OR NEW.`reminded_day_at` IS NOT NULL))
			- (OLD.`state` <> 'cant' AND (OLD.`reminded_before_at` IS NOT NULL OR OLD.`reminded_day_at` IS NOT NULL)),
		(NEW.`kept_at` IS NOT NULL) - (OLD.`kept_at` IS NOT NULL),
		(NEW.`state` = 'cant') - (OLD.`state` = 'cant'),
		1, MAX(NEW.`created_at`, COALESCE(NEW.`state_at`, 0), COALESCE(NEW.`kept_at`, 0), COALESCE(NEW.`reminded_before_at`, 0), COALESCE(NEW.`reminded_day_at`, 0))
	)
	ON CONFLICT (`action_id`) DO UPDATE SET
		`pledged` = `pledged` + excluded.`pledged`,
		`reminded` = `reminded` + excluded.`reminded`,
		`kept` = `kept` + excluded.`kept`,
		`cant` = `cant` + excluded.`cant`,
		`version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, excluded.`updated_at`);
END;
