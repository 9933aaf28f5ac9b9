-- The live definition of this trigger, as the migrated database holds it (its last form: migration
-- api/drizzle/0020_deliveries.sql). src/db/sql/sql.test.ts checks the two are the same. To change it, edit it here
-- and add a migration that drops it and creates it again with this text. Deliveries are append-only like
-- position entries: a pack delivered stays on the public record.
CREATE TRIGGER `deliveries_no_delete` BEFORE DELETE ON `deliveries`
BEGIN
	SELECT RAISE(ABORT, 'deliveries is append-only');
END;
