CREATE TABLE `flood_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`kind` text NOT NULL,
	`hash_prefix` text NOT NULL,
	`signatures` integer NOT NULL,
	`share_permille` integer NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flood_alerts_open_unique` ON `flood_alerts` (`campaign_id`,`kind`,`hash_prefix`) WHERE "flood_alerts"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX `flood_alerts_campaign_idx` ON `flood_alerts` (`campaign_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `partner_views` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`origin` text NOT NULL,
	`label` text,
	`token_hash` blob NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_views_token_unique` ON `partner_views` (`token_hash`);--> statement-breakpoint
CREATE INDEX `partner_views_campaign_idx` ON `partner_views` (`campaign_id`);