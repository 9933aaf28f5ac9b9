/**
 * The one rule for "does this campaign accept signatures now?", shared by the API (which refuses a
 * signature with `campaign-closed` outside the window) and the widget (which shows the form, a "signing
 * opens on …" notice or the closed message). Two copies drifted before: the widget ignored `opensAt`,
 * so a campaign not yet open showed the form and refused the signer only after they had filled it in.
 *
 * Plain code, no imports: the widget bundles it into embed.js, where every byte counts.
 */

export type SigningWindow = 'open' | 'not-yet-open' | 'closed';

/**
 * A point in time as the API stores it (epoch milliseconds) or sends it (an ISO 8601 date-time), so that
 * both sides pass their campaign as it is: converting in the widget cost embed.js ~50 B gzip.
 */
export type Instant = number | string;

/**
 * Where `now` (epoch milliseconds) falls for `campaign`. A campaign that is not `open` (a draft, a closed
 * one, a status a newer API adds) is `closed` whatever its dates; `closesAt` itself is already closed,
 * `opensAt` itself already open. `null` means no bound on that side (so does a string that is not a date,
 * which the API's schema never lets through).
 */
export function signingWindow(
  campaign: { status: string; opensAt: Instant | null; closesAt: Instant | null },
  now: number,
): SigningWindow {
  // No bound becomes NaN, and every comparison with NaN is false.
  const at = (time: Instant | null) => new Date(time ?? NaN).getTime();
  if (campaign.status !== 'open' || now >= at(campaign.closesAt)) return 'closed';
  return now < at(campaign.opensAt) ? 'not-yet-open' : 'open';
}
