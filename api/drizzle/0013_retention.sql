ALTER TABLE `campaigns` ADD `retention_days` integer DEFAULT 180 NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `anonymised_at` integer;--> statement-breakpoint
-- Custom SQL (issue 11, retention): a campaign closed before this migration is taken to have closed when it
-- was last changed, the best record there is; its retention period counts from then.
UPDATE `campaigns` SET `closed_at` = `updated_at` WHERE `status` = 'closed';
