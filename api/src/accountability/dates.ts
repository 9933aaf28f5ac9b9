/**
 * Calendar dates in Kenya's time. Asks and due dates are calendar dates (`YYYY-MM-DD`) as a campaigner
 * writes them in a letter; "overdue" is decided against today's date in Africa/Nairobi (UTC+3 all year,
 * no daylight saving), not in UTC, so an answer due "on the 20th" is not overdue at 01:00 on the 21st UTC.
 */

const NAIROBI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Nairobi at this instant, `YYYY-MM-DD`. */
export function nairobiDate(ms: number): string {
  return NAIROBI_DATE.format(new Date(ms));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The instant a Nairobi calendar date begins (00:00 EAT = 21:00 UTC the day before). */
export function startOfNairobiDate(date: string): number {
  return Date.parse(`${date}T00:00:00+03:00`);
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
