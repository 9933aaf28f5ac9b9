CREATE TABLE `campaign_ask_demands` (
	`ask_id` text NOT NULL,
	`demand_id` text NOT NULL,
	PRIMARY KEY(`ask_id`, `demand_id`),
	FOREIGN KEY (`ask_id`) REFERENCES `campaign_asks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`demand_id`) REFERENCES `demands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `campaign_asks` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`target_id` text NOT NULL,
	`asked_on` text NOT NULL,
	`due_on` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "campaign_asks_dates_check" CHECK("campaign_asks"."due_on" IS NULL OR "campaign_asks"."due_on" >= "campaign_asks"."asked_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_asks_campaign_target_unique` ON `campaign_asks` (`campaign_id`,`target_id`);--> statement-breakpoint
CREATE TABLE `milestones` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`threshold` integer NOT NULL,
	`label_en` text NOT NULL,
	`label_sw` text NOT NULL,
	`reached_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "milestones_threshold_check" CHECK("milestones"."threshold" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `milestones_campaign_threshold_unique` ON `milestones` (`campaign_id`,`threshold`);--> statement-breakpoint
CREATE TABLE `position_entries` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`target_id` text NOT NULL,
	`demand_id` text NOT NULL,
	`status` text NOT NULL,
	`statement` text,
	`evidence_url` text,
	`recorded_by` text NOT NULL,
	`actor` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`demand_id`) REFERENCES `demands`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "position_entries_status_check" CHECK("position_entries"."status" IN ('acknowledged', 'committed', 'declined', 'delivered', 'broken')),
	CONSTRAINT "position_entries_recorded_by_check" CHECK("position_entries"."recorded_by" IN ('duty_bearer', 'campaign')),
	CONSTRAINT "position_entries_evidence_check" CHECK("position_entries"."evidence_url" IS NULL OR "position_entries"."evidence_url" LIKE 'https://%' OR "position_entries"."evidence_url" LIKE 'http://%')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_entries_id_unique` ON `position_entries` (`id`);--> statement-breakpoint
CREATE INDEX `position_entries_campaign_idx` ON `position_entries` (`campaign_id`,`target_id`,`demand_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `response_links` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`target_id` text NOT NULL,
	`token_hash` blob NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `response_links_token_unique` ON `response_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `response_links_campaign_idx` ON `response_links` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `targets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`office` text,
	`institution` text,
	`jurisdiction_level` text NOT NULL,
	`county` text,
	`ocd_id` text,
	`public_contact` text,
	`delivery_contact_enc` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "targets_level_check" CHECK("targets"."jurisdiction_level" IN ('national', 'county')),
	CONSTRAINT "targets_county_check" CHECK(("targets"."jurisdiction_level" = 'county' AND "targets"."county" IS NOT NULL) OR ("targets"."jurisdiction_level" = 'national' AND "targets"."county" IS NULL))
);
--> statement-breakpoint
-- Position entries are append-only: a correction is a new entry, never an edit. These triggers refuse
-- every UPDATE and DELETE, from the API, a script or a cascade, so the public history cannot be rewritten.
CREATE TRIGGER `position_entries_no_update` BEFORE UPDATE ON `position_entries`
BEGIN
	SELECT RAISE(ABORT, 'position_entries is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `position_entries_no_delete` BEFORE DELETE ON `position_entries`
BEGIN
	SELECT RAISE(ABORT, 'position_entries is append-only');
END;
