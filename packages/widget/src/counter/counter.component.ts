import type { Counts } from '@imlu/contracts';
import { html, LitElement } from 'lit';
import { formatNumber } from '../i18n/index.ts';
import { CountsController } from '../internal/counts-controller.ts';
import { LocaleController } from '../internal/locale-controller.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { VERSION } from '../version.ts';
import { counterCatalog } from './counter.messages.ts';
import { counterStyles } from './counter.styles.ts';

/**
 * @tagname imlu-counter
 * @summary A campaign's signature count on its own ("1,234 signatures" / "Sahihi 1,234"), kept current.
 *
 * Counts are polled at most every 15 s, never while the tab is hidden, and shared with any other
 * element on the page that shows the same campaign. Changes are announced politely.
 *
 * A pledge campaign's counter can show kept promises instead: `show="kept"` says "830 of 1,200 kept their
 * pledge" summed over the campaign's actions that have taken place (or have no date) — pledges of an action
 * still ahead are not yet broken — or for one action with `action` (its position, from 1). Until the counts
 * carry those figures (an older API, a campaign without actions, or before its first action) it shows nothing.
 *
 * @attribute {'kept'} show - `kept`: kept promises of a pledge instead of the signature count.
 * @attribute {number} action - With `show="kept"`: the position (1, 2, …) of the one action to count.
 *
 * @csspart counter - The text of the count.
 * @cssproperty --imlu-counter-color - Text colour; falls back to `--imlu-color-text`.
 * @cssproperty --imlu-counter-font-weight - Weight of the count, 700 by default.
 * @cssproperty --imlu-font-family - Font of the widget, `system-ui` by default.
 *
 * Unlike the petition, the counter has no surface of its own: it sits in the partner's text, so it has no
 * dark default. Set `--imlu-counter-color` (or `--imlu-color-text`) to suit the page.
 */
export class ImluCounter extends LitElement {
  static readonly version = VERSION;
  static override styles = [sharedStyles, counterStyles];
  static override properties = {
    campaign: {},
    api: {},
    show: {},
    action: {},
  };

  /** Campaign slug. */
  declare campaign: string;
  /** Base URL of the IMLU API, e.g. `https://api.example.org`. */
  declare api: string;
  /** `kept` for a pledge's kept promises; anything else, the signature count. */
  declare show: string;
  /** With `show="kept"`, the position of one action; empty for all of them. */
  declare action: string;

  readonly #i18n = new LocaleController(this);
  readonly #feed = new CountsController(this, () =>
    this.api && this.campaign ? { api: this.api, slug: this.campaign } : undefined,
  );

  constructor() {
    super();
    this.campaign = '';
    this.api = '';
    this.show = '';
    this.action = '';
  }

  protected override render() {
    const counts = this.#feed.counts;
    const locale = this.#i18n.locale;
    // The live region exists before the first count arrives, or screen readers would miss the update.
    return html`<span part="counter" role="status" lang=${locale}
      >${this.show === 'kept' ? this.#kept(counts) : counts ? this.#i18n.t('signatures')(formatNumber(locale, counts.signatures), counts.signatures) : ''}</span
    >`;
  }

  /** "830 of 1,200 kept their pledge": every action's figures summed, or the one at position `action`. */
  #kept(counts: Counts | undefined): string {
    const locale = this.#i18n.locale;
    // All actions: only those that have happened (or have no date), so that pledges still ahead do not read as broken.
    const figures = counts?.actions?.filter((figure) =>
      this.action ? figure.position === Number(this.action) : !figure.startsAt || Date.parse(figure.startsAt) <= Date.now(),
    );
    if (!figures?.length) return '';
    const sum = (key: 'kept' | 'pledged') => figures.reduce((total, figure) => total + figure[key], 0);
    const kept = sum('kept');
    return counterCatalog(locale).kept(formatNumber(locale, kept), kept, formatNumber(locale, sum('pledged')));
  }
}
