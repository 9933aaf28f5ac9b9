ALTER TABLE `position_entries` ADD `statement_sw` text;--> statement-breakpoint
ALTER TABLE `targets` ADD `name_sw` text;--> statement-breakpoint
ALTER TABLE `targets` ADD `office_sw` text;--> statement-breakpoint
ALTER TABLE `targets` ADD `institution_sw` text;