CREATE TABLE `deliveries` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`target_id` text NOT NULL,
	`delivered_on` text NOT NULL,
	`channel` text NOT NULL,
	`signatures` integer NOT NULL,
	`manifest_sha256` text NOT NULL,
	`emailed` integer NOT NULL,
	`actor` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "deliveries_channel_check" CHECK("deliveries"."channel" IN ('in_person', 'email', 'post', 'courier', 'other')),
	CONSTRAINT "deliveries_signatures_check" CHECK("deliveries"."signatures" >= 0),
	CONSTRAINT "deliveries_hash_check" CHECK(length("deliveries"."manifest_sha256") = 64 AND "deliveries"."manifest_sha256" NOT GLOB '*[^0-9a-f]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_id_unique` ON `deliveries` (`id`);--> statement-breakpoint
CREATE INDEX `deliveries_campaign_idx` ON `deliveries` (`campaign_id`,`target_id`,`recorded_at`);--> statement-breakpoint
ALTER TABLE `milestones` ADD `target_id` text REFERENCES targets(id);--> statement-breakpoint
ALTER TABLE `milestones` ADD `step` text;--> statement-breakpoint
CREATE TRIGGER `deliveries_no_update` BEFORE UPDATE ON `deliveries`
BEGIN
	SELECT RAISE(ABORT, 'deliveries is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `deliveries_no_delete` BEFORE DELETE ON `deliveries`
BEGIN
	SELECT RAISE(ABORT, 'deliveries is append-only');
END;
