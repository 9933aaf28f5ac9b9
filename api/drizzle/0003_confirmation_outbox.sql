CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`campaign_id` text NOT NULL,
	`signature_id` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_signature_idx` ON `outbox` (`signature_id`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `verification` text DEFAULT 'either' NOT NULL;--> statement-breakpoint
ALTER TABLE `signatures` ADD `confirm_channel` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `confirmation_sends` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `signatures` ADD `confirmed_at` integer;