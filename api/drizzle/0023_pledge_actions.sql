CREATE TABLE `pledge_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`position` integer NOT NULL,
	`title_en` text NOT NULL,
	`title_sw` text NOT NULL,
	`place_en` text,
	`place_sw` text,
	`county` text,
	`starts_at` integer,
	`capacity` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_actions_campaign_position_unique` ON `pledge_actions` (`campaign_id`,`position`);