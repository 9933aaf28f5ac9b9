/**
 * One counts poller per (api, campaign) on a page, shared by every element that shows that campaign's
 * counts: a petition and a counter side by side make one request per interval, not two.
 *
 * Polling never runs while the tab is hidden (a phone in a pocket must not spend the signer's data) and
 * resumes when it becomes visible again, no sooner than one interval after the previous fetch. The
 * browser's HTTP cache does the ETag revalidation for us.
 */
import type { Counts } from '@imlu/contracts';
import { endpoint, request } from './client.ts';

export const COUNTS_INTERVAL_MS = 15_000;

export type CountsListener = (counts: Counts) => void;

export class CountsFeed {
  /** The most recent counts, from a poll or offered by a campaign load. */
  latest: Counts | undefined;
  readonly #listeners = new Set<CountsListener>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastFetch = 0;
  #inflight: Promise<void> | undefined;

  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  /** Starts polling with the first subscriber, stops with the last. Returns the unsubscribe function. */
  subscribe(listener: CountsListener): () => void {
    this.#listeners.add(listener);
    if (this.latest) listener(this.latest);
    if (this.#listeners.size === 1) {
      document.addEventListener('visibilitychange', this.#schedule);
      this.#schedule();
    }
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size) return;
      clearTimeout(this.#timer);
      document.removeEventListener('visibilitychange', this.#schedule);
    };
  }

  /** Counts that arrived another way (inside the campaign payload) count as a fresh fetch. */
  offer(counts: Counts): void {
    this.#lastFetch = Date.now();
    this.#publish(counts);
    this.#schedule();
  }

  /**
   * Fetches now, sharing a request that is already in flight. `revalidate` skips the HTTP cache's
   * max-age (an ETag round trip, usually a 304) — right after signing, the signer expects to see the
   * count move rather than a copy cached seconds ago.
   */
  refresh(revalidate = false): Promise<void> {
    return (this.#inflight ??= request<Counts>(this.#url, revalidate ? { cache: 'no-cache' } : {})
      .then(
        (result) => {
          if (result.ok) this.#publish(result.data);
        },
        () => {
          // Keep showing the last counts; the next poll tries again.
        },
      )
      .finally(() => {
        this.#inflight = undefined;
        this.#lastFetch = Date.now();
        this.#schedule();
      }));
  }

  #publish(counts: Counts): void {
    this.latest = counts;
    this.#listeners.forEach((listener) => listener(counts));
  }

  /** (Re)arms the single timer; an arrow function so that it doubles as the visibilitychange listener. */
  readonly #schedule = (): void => {
    clearTimeout(this.#timer);
    if (document.hidden || !this.#listeners.size || this.#inflight) return;
    const wait = this.#lastFetch + COUNTS_INTERVAL_MS - Date.now();
    if (wait <= 0) void this.refresh();
    else this.#timer = setTimeout(() => void this.refresh(), wait);
  };
}

const feeds = new Map<string, CountsFeed>();

/** The page-wide feed for one campaign. Feeds are kept (they are tiny) so a re-attached element resumes. */
export function countsFeed(api: string, slug: string): CountsFeed {
  const url = endpoint(api, slug, '/counts');
  let feed = feeds.get(url);
  if (!feed) feeds.set(url, (feed = new CountsFeed(url)));
  return feed;
}
