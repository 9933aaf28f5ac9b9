/**
 * Figures for the campaigner console (issue 12): signatures per day, the county table, and what each
 * partner origin and `source` reference brought in. Counts only — never a name, a contact or a keyed hash.
 *
 * Days are calendar days in Africa/Nairobi (UTC+3 all year, no daylight saving), the time of the people
 * who run and sign the campaign: a signature made at 22:30 UTC on the 5th is on the 6th. Each signature is
 * placed on the day it was signed (`created_at`), in the column of its state now: a signature signed on
 * Monday and confirmed on Tuesday is Monday's, counted.
 *
 * Every statement reads `signatures` by its `(campaign_id, created_at)` index within a time range
 * (test/query-plans.test.ts checks it), and the totals and counties come from `campaign_counts`.
 */
import { COUNTIES, type CountyCode } from '@imlu/contracts';
import type { Db } from '../db/client.ts';
import { nairobiDate, startOfNairobiDate } from '../accountability/dates.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Nairobi is UTC+3 all year: a Nairobi day is a UTC day shifted by three hours. */
const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;
/** The longest range one request may ask for, so that one request reads at most a year of a campaign. */
export const MAX_RANGE_DAYS = 366;
/** Counties and sources under this many signatures are shown as `<5` to partners and in county lists. */
export const SMALL_COUNT_FLOOR = 5;
export type Floored = number | '<5';

/**
 * The states of a signature, as the counts table counts them (`recountStatements` in moderation.ts):
 * `suspect` (over a rate limit, or `held` for review: one name too many on a family phone) is stored and
 * never counted; `invalid` was invalidated by a moderator. Superseded and withdrawn rows are none of these.
 */
const STATES =
  "SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), " +
  "SUM(flag IS 'suspect'), SUM(flag IS 'suspect' AND flag_reason IS 'household'), SUM(flag IS 'invalid')";

export interface DayFigures {
  date: string;
  counted: number;
  pending: number;
  suspect: number;
  /** Of `suspect`: held for review (family phone); the rest came over a rate limit. */
  held: number;
  invalid: number;
}

export interface CampaignTotals {
  counted: number;
  pending: number;
  suspect: number;
}

export interface MilestoneFigures {
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: string | null;
}

export interface DailyStats {
  timeZone: 'Africa/Nairobi';
  from: string;
  to: string;
  days: DayFigures[];
  /** The sums of `days`. */
  range: Omit<DayFigures, 'date'>;
  /** The whole campaign now, from the running totals. */
  totals: CampaignTotals;
  progress: { goal: number | null; counted: number; share: number | null; remaining: number | null };
  milestones: { reached: MilestoneFigures[]; next: (MilestoneFigures & { remaining: number }) | null };
  /** Set once retention deleted the signers' rows: the days before it show nothing, the totals remain. */
  anonymisedAt: string | null;
}

/** The days `from`..`to` (both `YYYY-MM-DD`, inclusive), or why they cannot be a range. */
export function dayRange(from: string, to: string): string[] | 'reversed' | 'too-long' {
  const first = Date.parse(`${from}T00:00:00Z`);
  const last = Date.parse(`${to}T00:00:00Z`);
  if (last < first) return 'reversed';
  const n = Math.round((last - first) / DAY_MS) + 1;
  if (n > MAX_RANGE_DAYS) return 'too-long';
  return Array.from({ length: n }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10));
}

/** The default range: the 30 days up to today in Nairobi. */
export function defaultRange(now: number): { from: string; to: string } {
  const to = nairobiDate(now);
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10), to };
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export async function dailyStats(db: Db, campaign: { id: string; goal: number | null }, from: string, to: string, days: string[]): Promise<DailyStats> {
  const [perDay, totals, milestones, meta] = await db.client.batch(
    [
      {
        // The day number in SQL literals: a bound JS number arrives as a REAL, and a REAL division would put
        // every millisecond in a group of its own (one signature per "day", the last one winning below).
        sql: `SELECT (created_at + ${NAIROBI_OFFSET_MS}) / ${DAY_MS} AS day, ${STATES} FROM signatures WHERE campaign_id = ? AND created_at >= ? AND created_at < ? GROUP BY day`,
        args: [campaign.id, startOfNairobiDate(from), startOfNairobiDate(to) + DAY_MS],
      },
      { sql: "SELECT counted, pending, suspect FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaign.id] },
      { sql: 'SELECT threshold, label_en, label_sw, reached_at FROM milestones WHERE campaign_id = ? ORDER BY threshold', args: [campaign.id] },
      { sql: 'SELECT anonymised_at FROM campaigns WHERE id = ?', args: [campaign.id] },
    ],
    'read',
  );
  const byDate = new Map<string, DayFigures>();
  for (const row of perDay!.rows) {
    const date = new Date(Number(row[0]) * DAY_MS).toISOString().slice(0, 10);
    byDate.set(date, { date, counted: Number(row[1]), pending: Number(row[2]), suspect: Number(row[3]), held: Number(row[4]), invalid: Number(row[5]) });
  }
  const filled = days.map((date) => byDate.get(date) ?? { date, counted: 0, pending: 0, suspect: 0, held: 0, invalid: 0 });
  const range = { counted: 0, pending: 0, suspect: 0, held: 0, invalid: 0 };
  for (const day of filled) for (const key of Object.keys(range) as (keyof typeof range)[]) range[key] += day[key];
  const total = totals!.rows[0];
  const sums: CampaignTotals = { counted: Number(total?.[0] ?? 0), pending: Number(total?.[1] ?? 0), suspect: Number(total?.[2] ?? 0) };
  const all = milestones!.rows.map((r) => ({
    threshold: Number(r[0]),
    label: { en: String(r[1]), sw: String(r[2]) },
    reachedAt: iso(r[3]),
  }));
  const next = all.find((m) => m.reachedAt === null);
  const { goal } = campaign;
  return {
    timeZone: 'Africa/Nairobi',
    from,
    to,
    days: filled,
    range,
    totals: sums,
    progress: {
      goal,
      counted: sums.counted,
      share: goal ? Math.round((sums.counted / goal) * 10_000) / 10_000 : null,
      remaining: goal === null ? null : Math.max(0, goal - sums.counted),
    },
    milestones: {
      reached: all.filter((m) => m.reachedAt !== null),
      next: next ? { ...next, remaining: Math.max(0, next.threshold - sums.counted) } : null,
    },
    anonymisedAt: iso(meta!.rows[0]?.[0]),
  };
}

export interface CountyRow {
  code: CountyCode;
  name: { en: string; sw: string };
  counted: number;
  pending: number;
  /** Of the campaign's counted signatures (those without a county included), 0–1, four decimals. */
  share: number;
}

export interface CountyTable {
  counties: CountyRow[];
  /** Signatures that gave no county. */
  unknown: { counted: number; pending: number; share: number };
  totals: CampaignTotals;
}

/**
 * Every county (all 47, in code order, zeros included: a county where nobody signed is news too), from the
 * running totals that the public counts publish. The exact figures: the console is for the staff, who may
 * see each signature anyway. Partners get the floored ones (`partnerStats`).
 */
export async function countyTable(db: Db, campaignId: string): Promise<CountyTable> {
  const result = await db.client.execute({ sql: 'SELECT bucket, counted, pending, suspect FROM campaign_counts WHERE campaign_id = ?', args: [campaignId] });
  const buckets = new Map(result.rows.map((r) => [String(r[0]), { counted: Number(r[1]), pending: Number(r[2]), suspect: Number(r[3]) }]));
  const totals = buckets.get('total') ?? { counted: 0, pending: 0, suspect: 0 };
  const share = (n: number) => (totals.counted ? Math.round((n / totals.counted) * 10_000) / 10_000 : 0);
  let countedInCounties = 0;
  let pendingInCounties = 0;
  const counties = COUNTIES.map((county) => {
    const row = buckets.get(county.code) ?? { counted: 0, pending: 0 };
    countedInCounties += row.counted;
    pendingInCounties += row.pending;
    return { code: county.code, name: { en: county.name.en, sw: county.name.sw }, counted: row.counted, pending: row.pending, share: share(row.counted) };
  });
  const unknownCounted = Math.max(0, totals.counted - countedInCounties);
  return {
    counties,
    unknown: { counted: unknownCounted, pending: Math.max(0, totals.pending - pendingInCounties), share: share(unknownCounted) },
    totals,
  };
}

export interface SourceFigures {
  /** The `source` reference sent with the signatures; null = none given; `other` when folded (see `MAX_SOURCES`). */
  source: string | null;
  other?: true;
  counted: Floored;
  pending: Floored;
  /** Confirmed ÷ sent a confirmation (current versions only); null when none needed one, or floored. */
  confirmationRate: number | null;
  topCounties: { code: string; counted: Floored }[];
}

export interface OriginFigures extends Omit<SourceFigures, 'source' | 'other'> {
  /** The partner page's origin (`https://…`); null = no Origin header (the hosted page, server-to-server). */
  origin: string | null;
  sources: SourceFigures[];
}

export interface PartnerStats {
  timeZone: 'Africa/Nairobi';
  from: string | null;
  to: string | null;
  floor: number;
  origins: OriginFigures[];
}

/** Sources listed per origin, by signatures; the rest are summed into one `other` row (a sender chooses `source` freely). */
export const MAX_SOURCES = 50;
const TOP_COUNTIES = 5;

interface Tally {
  counted: number;
  pending: number;
  needing: number;
  confirmed: number;
  counties: Map<string, number>;
}

const tally = (): Tally => ({ counted: 0, pending: 0, needing: 0, confirmed: 0, counties: new Map() });

function add(into: Tally, from: Tally): void {
  into.counted += from.counted;
  into.pending += from.pending;
  into.needing += from.needing;
  into.confirmed += from.confirmed;
  for (const [county, n] of from.counties) into.counties.set(county, (into.counties.get(county) ?? 0) + n);
}

/**
 * What each partner origin and `source` brought in. A county with fewer than `SMALL_COUNT_FLOOR` counted
 * signatures is shown as `<5` (and such counties are listed by code, not by size): a partner who sent its
 * link to a handful of people, told that one signature came from Lamu, may know who that is. With
 * `floorTotals` (a partner's own view, shown outside the organisation) the same holds for a source's totals,
 * and its confirmation rate is left out.
 */
export async function partnerStats(
  db: Db,
  campaignId: string,
  options: { from?: string; to?: string; origin?: string; floorTotals?: boolean } = {},
): Promise<PartnerStats> {
  const start = options.from ? startOfNairobiDate(options.from) : 0;
  const end = options.to ? startOfNairobiDate(options.to) + DAY_MS : Number.MAX_SAFE_INTEGER;
  const originClause = options.origin === undefined ? '' : ' AND origin = ?';
  const result = await db.client.execute({
    // Confirmation rate: of the current versions sent a confirmation message (a suspect is never sent one),
    // those confirmed since.
    sql:
      "SELECT origin, source_ref, county, SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), " +
      'SUM(confirmation_sends > 0 AND superseded_by IS NULL), SUM(confirmation_sends > 0 AND superseded_by IS NULL AND confirmed_at IS NOT NULL) ' +
      `FROM signatures WHERE campaign_id = ? AND created_at >= ? AND created_at < ?${originClause} GROUP BY origin, source_ref, county`,
    args: [campaignId, start, end, ...(options.origin === undefined ? [] : [options.origin])],
  });
  const origins = new Map<string | null, Map<string | null, Tally>>();
  for (const row of result.rows) {
    const origin = row[0] === null ? null : String(row[0]);
    const source = row[1] === null ? null : String(row[1]);
    let sources = origins.get(origin);
    if (!sources) origins.set(origin, (sources = new Map()));
    let t = sources.get(source);
    if (!t) sources.set(source, (t = tally()));
    const counted = Number(row[3]);
    add(t, { counted, pending: Number(row[4]), needing: Number(row[5]), confirmed: Number(row[6]), counties: new Map(row[2] !== null && counted ? [[String(row[2]), counted]] : []) });
  }
  const floorTotals = options.floorTotals ?? false;
  const figures = (t: Tally, floor: boolean) => ({
    counted: floor ? floored(t.counted) : t.counted,
    pending: floor ? floored(t.pending) : t.pending,
    confirmationRate: (floor && t.counted + t.pending < SMALL_COUNT_FLOOR) || !t.needing ? null : Math.round((t.confirmed / t.needing) * 10_000) / 10_000,
    topCounties: topCounties(t.counties),
  });
  const size = (t: Tally) => t.counted + t.pending;
  const list: OriginFigures[] = [];
  for (const [origin, sources] of origins) {
    const whole = tally();
    for (const t of sources.values()) add(whole, t);
    const ranked = [...sources].sort((a, b) => size(b[1]) - size(a[1]) || String(a[0]).localeCompare(String(b[0])));
    const rows: SourceFigures[] = ranked.slice(0, MAX_SOURCES).map(([source, t]) => ({ source, ...figures(t, floorTotals) }));
    if (ranked.length > MAX_SOURCES) {
      const rest = tally();
      for (const [, t] of ranked.slice(MAX_SOURCES)) add(rest, t);
      rows.push({ source: null, other: true, ...figures(rest, floorTotals) });
    }
    list.push({ origin, ...figures(whole, floorTotals), sources: rows });
  }
  list.sort((a, b) => numeric(b.counted) + numeric(b.pending) - numeric(a.counted) - numeric(a.pending) || String(a.origin).localeCompare(String(b.origin)));
  return { timeZone: 'Africa/Nairobi', from: options.from ?? null, to: options.to ?? null, floor: SMALL_COUNT_FLOOR, origins: list };
}

function floored(n: number): Floored {
  return n > 0 && n < SMALL_COUNT_FLOOR ? '<5' : n;
}

const numeric = (n: Floored) => (n === '<5' ? 1 : n);

/** The counties with the most counted signatures; those under the floor follow as `<5`, by code, never by size. */
function topCounties(counties: Map<string, number>): { code: string; counted: Floored }[] {
  const big = [...counties].filter(([, n]) => n >= SMALL_COUNT_FLOOR).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const small = [...counties].filter(([, n]) => n > 0 && n < SMALL_COUNT_FLOOR).sort((a, b) => a[0].localeCompare(b[0]));
  return [...big.map(([code, n]) => ({ code, counted: n as Floored })), ...small.map(([code]) => ({ code, counted: '<5' as const }))].slice(0, TOP_COUNTIES);
}
