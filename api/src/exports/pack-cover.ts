/**
 * What a delivery pack says beyond its rows: whom it is addressed to (a duty bearer from the board), the
 * target whose jurisdiction chose its signers, and what it does with signatures not yet confirmed.
 * Shared by the CLI (`imlu export create --to --pending`) and `GET /admin/campaigns/{slug}/export`.
 */
import type { CountyCode, LocalizedText } from '@imlu/contracts';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { targets } from '../db/schema.ts';

/**
 * Signatures whose signer has not confirmed yet: left out (`exclude`: the caller sets `verifiedOnly`), or
 * listed and marked (`mark`). A PDF pack excludes them unless asked: what an official counts should be
 * confirmed. CSV and JSON keep listing them with their status, as before. The pack's cover says which,
 * from its filter (run.ts), so it cannot say one thing and list another.
 */
export const PENDING_MODES = ['exclude', 'mark'] as const;
export type PendingMode = (typeof PENDING_MODES)[number];

export function defaultPending(format: string): PendingMode {
  return format === 'pdf' ? 'exclude' : 'mark';
}

/** A duty bearer as the cover names it, in both languages (Kiswahili falls back to the English form). */
export interface PackTarget {
  id: string;
  name: LocalizedText;
  office: LocalizedText | null;
  institution: LocalizedText | null;
  level: 'national' | 'county';
  county: CountyCode | null;
}

export interface PackOptions {
  /** The addressee (`--to`). */
  to?: PackTarget | undefined;
  /** The target whose jurisdiction the signers were chosen by (`--jurisdiction`). */
  jurisdiction?: PackTarget | undefined;
}

const both = (en: string | null, sw: string | null): LocalizedText | null => (en === null ? null : { en, sw: sw ?? en });

/** The target with this id, or undefined. */
export async function packTarget(db: Db, id: string): Promise<PackTarget | undefined> {
  const [row] = await db.orm.select().from(targets).where(eq(targets.id, id)).limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    name: { en: row.name, sw: row.nameSw ?? row.name },
    office: both(row.office, row.officeSw),
    institution: both(row.institution, row.institutionSw),
    level: row.jurisdictionLevel,
    county: row.jurisdictionLevel === 'county' ? (row.county as CountyCode) : null,
  };
}
