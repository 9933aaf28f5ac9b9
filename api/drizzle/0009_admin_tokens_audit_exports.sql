CREATE TABLE `admin_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` blob NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_tokens_hash_unique` ON `admin_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`action` text NOT NULL,
	`campaign_id` text,
	`subject` text,
	`row_count` integer,
	`details` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_campaign_at_idx` ON `audit_log` (`campaign_id`,`at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`url` text NOT NULL,
	`secret_enc` text NOT NULL,
	`events` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhooks_campaign_idx` ON `webhooks` (`campaign_id`);--> statement-breakpoint
ALTER TABLE `signatures` ADD `struck_at` integer;--> statement-breakpoint
ALTER TABLE `signatures` ADD `struck_reason` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `struck_by` text;--> statement-breakpoint
-- Custom SQL: the audit log is append-only. Any UPDATE or DELETE of a row aborts the statement (and a
-- batch or transaction around it), whoever issues it through SQL.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
-- Custom SQL: webhook deliveries of `signature.confirmed` are queued in the outbox by the database, in the
-- same transaction that counts the signature (at signing when the campaign needs no confirmation, or when
-- the signer confirms), one message per active webhook of the campaign subscribed to the event. The body
-- is built at delivery time from the row (src/webhooks/deliver.ts), only with what the signer consented to.
CREATE TRIGGER `signature_counted_webhook_insert` AFTER INSERT ON `signatures`
WHEN NEW.`status` = 'counted' AND NEW.`flag` IS NULL
BEGIN
	INSERT INTO `outbox` (`id`, `kind`, `campaign_id`, `signature_id`, `payload`, `status`, `attempts`, `next_attempt_at`, `created_at`)
	SELECT lower(hex(randomblob(16))), 'webhook', NEW.`campaign_id`, NEW.`id`,
		json_object('webhookId', w.`id`, 'event', 'signature.confirmed'), 'pending', 0, NEW.`created_at`, NEW.`created_at`
	FROM `webhooks` w
	WHERE w.`campaign_id` = NEW.`campaign_id` AND w.`disabled_at` IS NULL
		AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE `value` = 'signature.confirmed');
END;
--> statement-breakpoint
CREATE TRIGGER `signature_counted_webhook_update` AFTER UPDATE OF `status` ON `signatures`
WHEN OLD.`status` = 'pending' AND NEW.`status` = 'counted' AND NEW.`flag` IS NULL
BEGIN
	INSERT INTO `outbox` (`id`, `kind`, `campaign_id`, `signature_id`, `payload`, `status`, `attempts`, `next_attempt_at`, `created_at`)
	SELECT lower(hex(randomblob(16))), 'webhook', NEW.`campaign_id`, NEW.`id`,
		json_object('webhookId', w.`id`, 'event', 'signature.confirmed'), 'pending', 0,
		COALESCE(NEW.`confirmed_at`, NEW.`created_at`), COALESCE(NEW.`confirmed_at`, NEW.`created_at`)
	FROM `webhooks` w
	WHERE w.`campaign_id` = NEW.`campaign_id` AND w.`disabled_at` IS NULL
		AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE `value` = 'signature.confirmed');
END;
