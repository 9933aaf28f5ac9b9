ALTER TABLE `outbox` ADD `provider_ref` text;--> statement-breakpoint
CREATE INDEX `outbox_provider_ref_idx` ON `outbox` (`provider_ref`);--> statement-breakpoint
ALTER TABLE `signatures` ADD `confirm_attempts` integer DEFAULT 0 NOT NULL;