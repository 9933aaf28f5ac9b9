import { html, LitElement } from 'lit';
import type { Session } from './api.ts';
import { STRINGS, type Locale } from './strings.ts';

/**
 * @tagname imlu-console-duty-bearers
 * @summary The console's "duty-bearers" view. Not built yet: it says so.
 */
export class ImluConsoleDutyBearers extends LitElement {
  static override properties = { locale: {}, session: { attribute: false } };
  declare locale: Locale;
  declare session: Session | undefined;

  constructor() {
    super();
    this.locale = 'en';
  }

  protected override render() {
    return html`<p>${STRINGS[this.locale].coming}</p>`;
  }
}
