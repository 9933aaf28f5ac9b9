ALTER TABLE `campaign_counts` ADD `suspect` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `signatures` ADD `flag` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `source_hash` blob;--> statement-breakpoint
ALTER TABLE `signatures` ADD `domain_hash` blob;--> statement-breakpoint
CREATE INDEX `signatures_source_idx` ON `signatures` (`campaign_id`,`source_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `signatures_domain_idx` ON `signatures` (`campaign_id`,`domain_hash`,`created_at`);