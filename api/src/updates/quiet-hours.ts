/**
 * Update SMS go out only between 08:00 and 20:00 Nairobi time: a phone that buzzes at night with news of a
 * torture petition wakes a household, and may be read by someone other than the signer. Kenya keeps
 * UTC+3 all year (no daylight saving), so the window is fixed in UTC too: 05:00–17:00. E-mail has no
 * quiet hours: it waits in the inbox.
 */

const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
const NAIROBI_OFFSET_MS = 3 * HOUR_MS;
export const SMS_WINDOW_START_HOUR = 8;
export const SMS_WINDOW_END_HOUR = 20;

/** The start (ms) of the Nairobi calendar day that holds `ms`. */
export function nairobiDayStart(ms: number): number {
  return Math.floor((ms + NAIROBI_OFFSET_MS) / DAY_MS) * DAY_MS - NAIROBI_OFFSET_MS;
}

/** `now` when it is within 08:00–20:00 Nairobi time, else the next 08:00 there. */
export function nextSmsSlot(now: number): number {
  const local = now + NAIROBI_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  const sinceMidnight = local - midnight;
  if (sinceMidnight >= SMS_WINDOW_START_HOUR * HOUR_MS && sinceMidnight < SMS_WINDOW_END_HOUR * HOUR_MS) return now;
  const nextOpening = midnight + SMS_WINDOW_START_HOUR * HOUR_MS + (sinceMidnight < SMS_WINDOW_START_HOUR * HOUR_MS ? 0 : DAY_MS);
  return nextOpening - NAIROBI_OFFSET_MS;
}
