CREATE INDEX `code_attempts_updated_idx` ON `code_attempts` (`updated_at`);--> statement-breakpoint
CREATE INDEX `outbox_kind_lease_idx` ON `outbox` (`kind`,`status`,`locked_until`);