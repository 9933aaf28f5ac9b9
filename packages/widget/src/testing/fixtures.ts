/**
 * Test helpers for the component tests: a fetch stub that records every call, canned API payloads, and a
 * way to wait without timers (some tests replace setTimeout). Not part of the bundle.
 */
import type { Campaign, Counts } from '@imlu/contracts';
import type { ProblemName } from '@imlu/contracts/problems';

export interface FetchCall {
  url: string;
  method: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  cache: RequestCache | undefined;
  body: unknown;
}

export type Route = (call: FetchCall) => Response | Promise<Response>;

export interface FetchStub {
  calls: FetchCall[];
  /** Calls whose URL ends with `suffix` (`/counts`, `/signatures`). */
  callsTo(suffix: string): FetchCall[];
  restore(): void;
}

/** Replaces window.fetch until `restore()`. `route` answers each call; throw from it to simulate a network failure. */
export function stubFetch(route: Route): FetchStub {
  const original = window.fetch;
  const calls: FetchCall[] = [];
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      credentials: init.credentials,
      cache: init.cache,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
    };
    calls.push(call);
    return route(call);
  };
  return {
    calls,
    callsTo: (suffix) => calls.filter((call) => new URL(call.url).pathname.endsWith(suffix)),
    restore: () => {
      window.fetch = original;
    },
  };
}

export function json(body: unknown, status = 200, type = 'application/json', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

/** `headers` e.g. `{ 'Retry-After': '30' }` for a 429. */
export function problem(
  name: ProblemName,
  status: number,
  errors?: { path: string; code: string }[],
  headers?: Record<string, string>,
): Response {
  const body = {
    type: `urn:imlu:problem:${name}`,
    title: name,
    status,
    errors: errors?.map((error) => ({ ...error, message: 'developer text' })),
  };
  return json(body, status, 'application/problem+json', headers);
}

let apiSequence = 0;
/** A fresh API base per test, so the page-wide counts feeds of one test never leak into the next. */
export function uniqueApi(): string {
  return `https://api-${++apiSequence}.imlu.test`;
}

export function countsFixture(overrides: Partial<Counts> = {}): Counts {
  return { signatures: 1234, pending: 12, goal: 10_000, byCounty: { 'KE-30': 800 }, updatedAt: '2025-01-01T00:00:00.000Z', ...overrides };
}

export function campaignFixture(overrides: Partial<Campaign> = {}): Campaign {
  return {
    slug: 'justice-for-survivors',
    kind: 'petition',
    title: { en: 'Justice for survivors', sw: 'Haki kwa manusura' },
    summary: { en: 'Survivors deserve justice.', sw: 'Manusura wanastahili haki.' },
    body: { en: 'Body', sw: 'Maelezo' },
    demands: [
      { id: 'd2', position: 2, text: { en: 'Protect witnesses', sw: 'Walinde mashahidi' } },
      { id: 'd1', position: 1, text: { en: 'Investigate every case', sw: 'Chunguza kila kesi' } },
    ],
    targets: [],
    goal: 10_000,
    status: 'open',
    opensAt: null,
    closesAt: null,
    requiresVerification: true,
    consentVersion: '2025-01',
    counts: countsFixture(),
    ...overrides,
  };
}

/**
 * A standard API: the campaign, its counts, `sign` for POSTs (202 pending by default), `confirm` for SMS
 * codes (200 counted) and `resend` for new codes (202 queued).
 */
export function apiRoutes(
  options: { campaign?: Campaign; counts?: Counts; sign?: Route; confirm?: Route; resend?: Route; challenge?: Route } = {},
): Route {
  const campaign = options.campaign ?? campaignFixture();
  return (call) => {
    const path = new URL(call.url).pathname;
    if (path.endsWith('/signatures')) return options.sign ? options.sign(call) : json({ status: 'pending_verification' }, 202);
    if (path.endsWith('/confirmations')) return options.confirm ? options.confirm(call) : json({ status: 'counted' });
    if (path.endsWith('/confirmations/resend')) return options.resend ? options.resend(call) : json({ status: 'queued' }, 202);
    if (path.endsWith('/challenge')) return options.challenge ? options.challenge(call) : problem('not-found', 404);
    if (path.endsWith('/counts')) return json(options.counts ?? campaign.counts);
    return json(campaign);
  };
}

/** Waits one macrotask without setTimeout (which a test may have replaced). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

/** Lets pending fetches, JSON parsing and Lit updates settle. */
export async function settle(tasks = 5): Promise<void> {
  for (let i = 0; i < tasks; i++) await nextTask();
}

/** A promise with its resolve function outside, to hold a response until the test says so. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
