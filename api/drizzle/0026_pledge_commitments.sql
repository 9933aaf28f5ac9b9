CREATE TABLE `pledge_action_counts` (
	`action_id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`pledged` integer DEFAULT 0 NOT NULL,
	`reminded` integer DEFAULT 0 NOT NULL,
	`kept` integer DEFAULT 0 NOT NULL,
	`cant` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `pledge_actions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pledge_commitments` (
	`signature_id` text NOT NULL,
	`action_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`state` text DEFAULT 'pledged' NOT NULL,
	`state_at` integer,
	`remind` integer DEFAULT false NOT NULL,
	`reminded_before_at` integer,
	`reminded_day_at` integer,
	`kept_at` integer,
	`kept_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`signature_id`, `action_id`),
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`action_id`) REFERENCES `pledge_actions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "pledge_commitments_state_check" CHECK("pledge_commitments"."state" IN ('pledged', 'cant', 'done'))
);
--> statement-breakpoint
CREATE INDEX `pledge_commitments_action_idx` ON `pledge_commitments` (`action_id`,`state`);--> statement-breakpoint
CREATE INDEX `pledge_commitments_campaign_idx` ON `pledge_commitments` (`campaign_id`);