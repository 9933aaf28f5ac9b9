import { css, html, LitElement, nothing } from 'lit';
import { controls } from './styles.ts';
import { ApiError, consoleApi, type Session } from './api.ts';
import { browserLocale, STRINGS, VIEW_IDS, type Locale, type Strings, type ViewId } from './strings.ts';

type Screen = 'loading' | 'sign-in' | 'sent' | 'code' | 'home' | ViewId;

/**
 * Each view is its own element (`<view>.component.ts`, with its words in `<view>.strings.ts` where it has
 * many). It gets the language and the session: writes need the session's CSRF token.
 */
function viewElement(id: ViewId, locale: Locale, session: Session | undefined) {
  switch (id) {
    case 'campaigns':
      return html`<imlu-console-campaigns .locale=${locale} .session=${session}></imlu-console-campaigns>`;
    case 'duty-bearers':
      return html`<imlu-console-duty-bearers .locale=${locale} .session=${session}></imlu-console-duty-bearers>`;
    case 'numbers':
      return html`<imlu-console-numbers .locale=${locale}></imlu-console-numbers>`;
    case 'partners':
      return html`<imlu-console-partners .locale=${locale} .session=${session}></imlu-console-partners>`;
    case 'moderation':
      return html`<imlu-console-moderation .locale=${locale} .session=${session}></imlu-console-moderation>`;
    case 'exports':
      return html`<imlu-console-exports .locale=${locale} .session=${session}></imlu-console-exports>`;
    case 'audit':
      return html`<imlu-console-audit .locale=${locale}></imlu-console-audit>`;
    case 'tokens':
      return html`<imlu-console-tokens .locale=${locale} .session=${session}></imlu-console-tokens>`;
  }
}
const LOCALE_KEY = 'imlu-console-locale';

/**
 * @tagname imlu-console
 * @summary The campaigner console: sign-in (e-mail link, then TOTP code), and the signed-in home.
 *
 * The sign-in link carries its token in the fragment (`/console#link=…`). It is read once, removed from the
 * address bar and history at once, and only ever sent in a POST body.
 */
export class ImluConsole extends LitElement {
  static override styles = [
    controls,
    css`
    :host {
      display: block;
      box-sizing: border-box;
      min-height: 100vh;
      font-family: var(--imlu-font-family, system-ui, sans-serif);
      color: #1a1a1a;
      background: #fff;
      line-height: 1.5;
    }
    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }
    [hidden] {
      display: none !important;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      justify-content: space-between;
      padding: 0.75rem 1rem;
      background: #0b4f33;
      color: #fff;
    }
    header p {
      margin: 0;
      font-weight: 700;
    }
    .languages {
      display: flex;
      gap: 0.25rem;
      margin: 0;
      padding: 0;
      border: 0;
    }
    .languages button {
      background: transparent;
      color: #fff;
      border: 1px solid #fff;
      padding: 0.25rem 0.6rem;
    }
    .languages button[aria-pressed='true'] {
      background: #fff;
      color: #0b4f33;
    }
    main {
      max-width: 60rem;
      margin: 0 auto;
      padding: 1rem;
    }
    h1 {
      font-size: 1.5rem;
      margin: 0.5rem 0 1rem;
    }
    h2 {
      font-size: 1.15rem;
      margin: 1.5rem 0 0.5rem;
    }
    form {
      display: grid;
      gap: 0.5rem;
    }
    label {
      font-weight: 600;
    }
    input {
      font: inherit;
      width: 100%;
      padding: 0.6rem;
      border: 1px solid #555;
      border-radius: 4px;
    }
    .primary {
      justify-self: start;
    }
    .notice {
      border-left: 4px solid #0b4f33;
      padding-left: 0.75rem;
    }
    ul.views {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 0.5rem;
    }
    ul.views li {
      border: 1px solid #ccc;
      border-radius: 4px;
      padding: 0.6rem 0.8rem;
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0.25rem 1rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      margin-top: 1.5rem;
    }
  `,
  ];

  static override properties = {
    _screen: { state: true },
    _locale: { state: true },
    _session: { state: true },
    _error: { state: true },
    _notice: { state: true },
    _busy: { state: true },
  };

  declare _screen: Screen;
  declare _locale: Locale;
  declare _session: Session | undefined;
  declare _error: string;
  declare _notice: string;
  declare _busy: boolean;
  #link: string | undefined;

  constructor() {
    super();
    this._screen = 'loading';
    this._locale = storedLocale() ?? browserLocale(navigator.languages ?? [navigator.language]);
    this._session = undefined;
    this._error = '';
    this._notice = '';
    this._busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#takeLink()) void this.#load();
    // A link opened in a tab where the console is already open changes only the fragment: no new page.
    window.addEventListener('hashchange', this.#onHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
  }

  readonly #onHashChange = (): void => {
    if (this.#takeLink()) this.#show('code');
  };

  /** Reads a sign-in link's token from the fragment. True when there was one. */
  #takeLink(): boolean {
    const link = /^#link=([\w-]+)$/.exec(location.hash)?.[1];
    if (!link) return false;
    this.#link = link;
    // Out of the address bar and history at once: a shoulder, a screenshot or the back button must not get it.
    history.replaceState(null, '', location.pathname + location.search);
    this._screen = 'code';
    return true;
  }

  get #t(): Strings {
    return STRINGS[this._locale];
  }

  async #load(): Promise<void> {
    try {
      this._session = await consoleApi.session();
      this._screen = this._session ? 'home' : 'sign-in';
    } catch {
      this._screen = 'sign-in';
      this._error = this.#t.error;
    }
  }

  protected override updated(): void {
    document.documentElement.lang = this._locale;
    const titles: Record<Screen, string> = {
      loading: this.#t.appName,
      'sign-in': this.#t.signInTitle,
      sent: this.#t.sentTitle,
      code: this.#t.codeTitle,
      home: this._session ? this.#t.welcome(this._session.name) : this.#t.appName,
      ...this.#t.views,
    };
    document.title = `${titles[this._screen]} · ${this.#t.appName}`;
  }

  #setLocale(locale: Locale): void {
    this._locale = locale;
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // Storage off (private mode): the choice lasts for this page.
    }
  }

  #show(screen: Screen, notice = ''): void {
    this._screen = screen;
    this._error = '';
    this._notice = notice;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h1')?.focus());
  }

  async #askLink(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const email = new FormData(event.target as HTMLFormElement).get('email');
    if (typeof email !== 'string') return;
    await this.#run(async () => {
      await consoleApi.askLink(email.trim(), this._locale);
      this.#show('sent');
    });
  }

  async #verify(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const code = new FormData(event.target as HTMLFormElement).get('code');
    if (typeof code !== 'string' || !this.#link) return;
    await this.#run(
      async () => {
        this._session = await consoleApi.verify(this.#link!, code.replace(/\s+/g, ''));
        this.#link = undefined;
        this.#show('home');
      },
      (error) => {
        if (error.status === 422) return this.#t.wrongCode;
        if (error.status === 404) {
          this.#link = undefined;
          return this.#t.linkExpired;
        }
        return undefined;
      },
    );
  }

  async #signOut(everywhere: boolean): Promise<void> {
    const csrf = this._session?.csrfToken;
    if (!csrf) return;
    await this.#run(async () => {
      try {
        await consoleApi.signOut(csrf, everywhere);
      } catch (error) {
        // 404: the session had ended already (idle, expired, or signed out elsewhere). Signed out all the same.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      this._session = undefined;
      this.#show('sign-in', this.#t.signedOut);
    });
  }

  async #run(task: () => Promise<void>, explain: (error: ApiError) => string | undefined = () => undefined): Promise<void> {
    this._busy = true;
    this._error = '';
    try {
      await task();
    } catch (error) {
      this._error = (error instanceof ApiError && explain(error)) || this.#t.error;
    } finally {
      this._busy = false;
    }
  }

  protected override render() {
    const t = this.#t;
    return html`
      <header>
        <p>${t.appName}</p>
        <div class="languages" role="group" aria-label=${t.language}>
          ${(['en', 'sw'] as const).map(
            (locale) =>
              html`<button type="button" lang=${locale} aria-pressed=${String(this._locale === locale)} @click=${() => this.#setLocale(locale)}>
                ${locale === 'en' ? 'English' : 'Kiswahili'}
              </button>`,
          )}
        </div>
      </header>
      <main>
        ${this._notice ? html`<p class="notice" role="status">${this._notice}</p>` : nothing}
        ${this.#screen(t)}
        <p class="error" role="alert">${this._error}</p>
      </main>
    `;
  }

  #screen(t: Strings) {
    switch (this._screen) {
      case 'loading':
        return html`<h1 tabindex="-1">${t.appName}</h1>
          <p role="status">${t.loading}</p>`;
      case 'sign-in':
        return html`<h1 tabindex="-1">${t.signInTitle}</h1>
          <p>${t.signInIntro}</p>
          <form @submit=${this.#askLink}>
            <label for="email">${t.emailLabel}</label>
            <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" />
            <button class="primary" type="submit" ?disabled=${this._busy}>${t.sendLink}</button>
          </form>`;
      case 'sent':
        return html`<h1 tabindex="-1">${t.sentTitle}</h1>
          <p>${t.sentBody}</p>
          <button class="secondary" type="button" @click=${() => this.#show('sign-in')}>${t.another}</button>`;
      case 'code':
        return html`<h1 tabindex="-1">${t.codeTitle}</h1>
          <p>${t.codeIntro}</p>
          ${this.#link
            ? html`<form @submit=${this.#verify}>
                <label for="code">${t.codeLabel}</label>
                <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required />
                <button class="primary" type="submit" ?disabled=${this._busy}>${t.signIn}</button>
              </form>`
            : html`<button class="secondary" type="button" @click=${() => this.#show('sign-in')}>${t.askNew}</button>`}`;
      case 'home':
        return this.#home(t);
      default:
        return html`<h1 tabindex="-1">${t.views[this._screen]}</h1>
          <button class="secondary" type="button" @click=${() => this.#show('home')}>${t.backHome}</button>
          ${viewElement(this._screen, this._locale, this._session)}`;
    }
  }

  #home(t: Strings) {
    const session = this._session!;
    const allowed = new Set(session.views);
    const ends = new Intl.DateTimeFormat(this._locale === 'sw' ? 'sw-KE' : 'en-KE', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Nairobi' }).format(
      new Date(session.expiresAt),
    );
    return html`<h1 tabindex="-1">${t.welcome(session.name)}</h1>
      <p>${t.role}: <strong data-role=${session.role}>${t.roles[session.role]}</strong></p>
      <p class="hint">${t.sessionEnds(ends)}</p>
      <nav aria-labelledby="views-title">
        <h2 id="views-title">${t.viewsTitle}</h2>
        <ul class="views">
          ${VIEW_IDS.filter((id) => allowed.has(id)).map(
            (id) =>
              html`<li data-view=${id}>
                <button class="link" type="button" @click=${() => this.#show(id)}>${t.views[id]}</button>
              </li>`,
          )}
        </ul>
      </nav>
      <div class="actions">
        <button class="primary" type="button" ?disabled=${this._busy} @click=${() => this.#signOut(false)}>${t.signOut}</button>
        <button class="secondary" type="button" ?disabled=${this._busy} aria-describedby="everywhere-hint" @click=${() => this.#signOut(true)}>
          ${t.signOutEverywhere}
        </button>
      </div>
      <p class="hint" id="everywhere-hint">${t.signOutEverywhereHint}</p>`;
  }
}

function storedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return value === 'en' || value === 'sw' ? value : undefined;
  } catch {
    return undefined;
  }
}
