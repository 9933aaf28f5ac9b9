ALTER TABLE `campaigns` ADD `sender_organisation` text;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `sender_contact` text;