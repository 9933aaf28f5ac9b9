import { html, LitElement } from 'lit';
import type { Session } from './api.ts';
import { STRINGS, type Locale } from './strings.ts';

/**
 * @tagname imlu-console-tokens
 * @summary The console's "tokens" view. Not built yet: it says so.
 */
export class ImluConsoleTokens extends LitElement {
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
