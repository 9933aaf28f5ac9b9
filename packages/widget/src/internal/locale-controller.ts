import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { catalog, type Catalog, type Locale, type MessageKey } from '../i18n/index.ts';
import { observeLang, resolveLocale } from '../i18n/locale.ts';

/** Re-renders its host when any `lang` attribute on the page changes, and translates for it. */
export class LocaleController implements ReactiveController {
  #unobserve: (() => void) | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Resolved on every call: cheap, and always right even if the element moved in the DOM. */
  get locale(): Locale {
    return resolveLocale(this.#host);
  }

  t<K extends MessageKey>(key: K): Catalog[K] {
    return catalog(this.locale)[key];
  }

  hostConnected(): void {
    this.#unobserve = observeLang(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#unobserve?.();
    this.#unobserve = undefined;
  }
}
