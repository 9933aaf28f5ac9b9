CREATE TABLE `campaign_counts` (
	`campaign_id` text NOT NULL,
	`bucket` text NOT NULL,
	`counted` integer DEFAULT 0 NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `bucket`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`kind` text NOT NULL,
	`title_en` text NOT NULL,
	`title_sw` text NOT NULL,
	`summary_en` text NOT NULL,
	`summary_sw` text NOT NULL,
	`body_en` text NOT NULL,
	`body_sw` text NOT NULL,
	`goal` integer,
	`status` text DEFAULT 'draft' NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`requires_verification` integer DEFAULT true NOT NULL,
	`consent_version` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "campaigns_kind_check" CHECK("campaigns"."kind" IN ('petition', 'pledge')),
	CONSTRAINT "campaigns_status_check" CHECK("campaigns"."status" IN ('draft', 'open', 'closed')),
	CONSTRAINT "campaigns_goal_check" CHECK("campaigns"."goal" IS NULL OR "campaigns"."goal" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_slug_unique` ON `campaigns` (`slug`);--> statement-breakpoint
CREATE TABLE `demands` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`position` integer NOT NULL,
	`text_en` text NOT NULL,
	`text_sw` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `demands_campaign_position_unique` ON `demands` (`campaign_id`,`position`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`campaign_id` text NOT NULL,
	`key_hmac` blob NOT NULL,
	`body_hmac` blob NOT NULL,
	`status` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `key_hmac`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `instance_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signature_dedupe` (
	`campaign_id` text NOT NULL,
	`key_hmac` blob NOT NULL,
	`kind` text NOT NULL,
	`signature_id` text NOT NULL,
	PRIMARY KEY(`campaign_id`, `key_hmac`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `signature_dedupe_signature_idx` ON `signature_dedupe` (`signature_id`);--> statement-breakpoint
CREATE TABLE `signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`status` text NOT NULL,
	`name_enc` text NOT NULL,
	`email_enc` text,
	`phone_enc` text,
	`comment_enc` text,
	`county` text,
	`locale` text,
	`consent_terms` integer NOT NULL,
	`consent_public_name` integer NOT NULL,
	`consent_share_with_targets` integer NOT NULL,
	`consent_updates` integer NOT NULL,
	`consent_version` text NOT NULL,
	`consent_at` integer NOT NULL,
	`origin` text,
	`source_ref` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "signatures_status_check" CHECK("signatures"."status" IN ('counted', 'pending')),
	CONSTRAINT "signatures_contact_check" CHECK("signatures"."email_enc" IS NOT NULL OR "signatures"."phone_enc" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `signatures_campaign_created_idx` ON `signatures` (`campaign_id`,`created_at`);