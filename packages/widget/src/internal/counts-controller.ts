import type { Counts } from '@imlu/contracts';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { countsFeed } from '../api/counts-feed.ts';

/** Which campaign to follow, or undefined to follow none (yet). */
export type CountsSubject = () => { api: string; slug: string } | undefined;

/**
 * Keeps `counts` in step with the page-wide feed of the campaign its host names, subscribing while the
 * host is connected and switching feeds when the host's api or campaign changes.
 */
export class CountsController implements ReactiveController {
  counts: Counts | undefined;
  #key = '';
  #unsubscribe: (() => void) | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #subject: CountsSubject;

  constructor(host: ReactiveControllerHost & HTMLElement, subject: CountsSubject) {
    this.#host = host;
    this.#subject = subject;
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  /** Runs before every render, so a changed api/campaign switches feeds without extra bookkeeping. */
  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#key = '';
  }

  #sync(): void {
    const subject = this.#host.isConnected ? this.#subject() : undefined;
    const key = subject ? `${subject.api} ${subject.slug}` : '';
    if (key === this.#key) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#key = key;
    if (!subject) return;
    this.counts = undefined;
    this.#unsubscribe = countsFeed(subject.api, subject.slug).subscribe((counts) => {
      this.counts = counts;
      this.#host.requestUpdate();
    });
  }
}
