-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0010_accountability.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text.
CREATE TRIGGER `position_entries_no_delete` BEFORE DELETE ON `position_entries`
BEGIN
	SELECT RAISE(ABORT, 'position_entries is append-only');
END;
