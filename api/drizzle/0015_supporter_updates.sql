CREATE TABLE `update_events` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'fanning' NOT NULL,
	`cursor_at` integer DEFAULT 0 NOT NULL,
	`cursor_rowid` integer DEFAULT 0 NOT NULL,
	`eligible` integer DEFAULT 0 NOT NULL,
	`queued` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "update_events_kind_check" CHECK("update_events"."kind" IN ('position', 'milestone', 'closed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `update_events_campaign_key_unique` ON `update_events` (`campaign_id`,`key`);--> statement-breakpoint
CREATE INDEX `update_events_status_idx` ON `update_events` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `updates` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `update_event_id` text REFERENCES update_events(id) ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `outbox_kind_due_idx` ON `outbox` (`kind`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_update_signature_unique` ON `outbox` (`update_event_id`,`signature_id`) WHERE "outbox"."update_event_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_update_contact_unique` ON `outbox` (`update_event_id`,`contact_hmac`) WHERE "outbox"."update_event_id" IS NOT NULL;