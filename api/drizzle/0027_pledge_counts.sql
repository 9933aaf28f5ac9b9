-- Public figures per pledge action (issue 16), kept by triggers from pledge_commitments and from the
-- signatures' status, never by COUNT on a request. A commitment counts while its signature counts (live:
-- status 'counted', no flag): a confirmation brings its pledges in, a withdrawal or an invalidation takes
-- them out. Deletes (erasure withdraws first; retention after the campaign is final) leave the figures.
-- The counts row is created by the first upsert (no row: all zero).
CREATE TRIGGER `pledge_counts_on_insert` AFTER INSERT ON `pledge_commitments`
WHEN EXISTS (SELECT 1 FROM `signatures` WHERE `id` = NEW.`signature_id` AND `status` = 'counted' AND `flag` IS NULL)
BEGIN
	INSERT INTO `pledge_action_counts` (`action_id`, `campaign_id`, `pledged`, `reminded`, `kept`, `cant`, `version`, `updated_at`)
	VALUES (
		NEW.`action_id`, NEW.`campaign_id`,
		NEW.`state` <> 'cant',
		NEW.`state` <> 'cant' AND (NEW.`reminded_before_at` IS NOT NULL OR NEW.`reminded_day_at` IS NOT NULL),
		NEW.`kept_at` IS NOT NULL,
		NEW.`state` = 'cant',
		1, NEW.`created_at`
	)
	ON CONFLICT (`action_id`) DO UPDATE SET
		`pledged` = `pledged` + excluded.`pledged`,
		`reminded` = `reminded` + excluded.`reminded`,
		`kept` = `kept` + excluded.`kept`,
		`cant` = `cant` + excluded.`cant`,
		`version` = `version` + 1,
		`updated_at` = MAX(`updated_at`, excluded.`updated_at`);
END;
--> statement-breakpoint
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
--> statement-breakpoint
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
