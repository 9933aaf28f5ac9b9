/**
 * One way to write a date bound everywhere a campaigner filters by time (the CLI's `--from`/`--to`, the
 * admin API's `from`/`to` query and body fields): a calendar day `YYYY-MM-DD` (UTC), or an ISO 8601
 * date-time with `Z` or an offset (`2026-12-06T09:30:00+03:00`). `from` is "at or after", `to` is
 * "before"; a `to` day runs through its end, so `from=2026-12-06&to=2026-12-06` is that whole day. A
 * date-time without a zone is refused: it would mean the server's clock, not the campaigner's.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const DATE_BOUND_HINT = 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone (2026-12-06T09:30:00+03:00)';

/**
 * The instant (ms) a bound stands for; a day given as an `end` bound stands for the next midnight (the end
 * is exclusive), so the day includes all of itself. Undefined for anything else, including days that do not
 * exist.
 */
export function parseDateBound(value: string, end = false): number | undefined {
  const day = DAY.exec(value);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2026-02-30 over into March: a day that does not exist does not round-trip.
    if (new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
    return end ? ms + 86_400_000 : ms;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // The same round trip for the calendar part of a date-time (2026-02-30T10:00Z).
  const [date] = value.split('T') as [string];
  if (Number(date.slice(8, 10)) > new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate()) return undefined;
  return ms;
}
