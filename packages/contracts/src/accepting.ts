/**
 * The one rule for "does this campaign accept signatures now?", shared by the API (which refuses a
 * signature with `campaign-closed` outside the window) and the widget (which shows the form, a "signing
 * opens on …" notice or the closed message). Two copies drifted before: the widget ignored `opensAt`,
 * so a campaign not yet open showed the form and refused the signer only after they had filled it in.
 *
 * Plain code, no imports: the widget bundles it into embed.js.
 */

export type SigningWindow = 'open' | 'not-yet-open' | 'closed';

/**
 * Where `now` falls for `campaign`. Times are epoch milliseconds: the API passes its stored numbers, the
 * widget `Date.parse()` of the ISO strings it receives. `null` means no bound on that side. A campaign
 * that is not `open` (a draft, a closed one, a status a newer API adds) is `closed` whatever its dates;
 * `closesAt` itself is already closed, `opensAt` itself already open.
 */
export function signingWindow(
  campaign: { status: string; opensAt: number | null; closesAt: number | null },
  now: number,
): SigningWindow {
  if (campaign.status !== 'open' || (campaign.closesAt !== null && now >= campaign.closesAt)) return 'closed';
  return campaign.opensAt !== null && now < campaign.opensAt ? 'not-yet-open' : 'open';
}
