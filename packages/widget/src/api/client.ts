/**
 * The few calls the widget makes to the IMLU API. Plain `fetch`, no credentials ever (a signer's cookies
 * for the API origin must never ride along), problem+json decoded into a typed result.
 *
 * Network failures and timeouts reject; HTTP errors resolve with `ok: false` and the problem.
 */
import type { Problem } from '@imlu/contracts';

/** `headers` of a failure: `Retry-After` says how long a 429 lasts (readable cross-origin where the API exposes it). */
export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; problem: Problem; headers: Headers };

/** Slow links are normal for our signers; only give up on a request that has clearly stalled. */
const TIMEOUT_MS = 30_000;

export function endpoint(api: string, slug: string, path = ''): string {
  return `${api.replace(/\/+$/, '')}/v1/campaigns/${encodeURIComponent(slug)}${path}`;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).type === 'string';
}

export async function request<T>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; cache?: RequestCache } = {},
): Promise<ApiResult<T>> {
  const response = await fetch(url, {
    ...init,
    credentials: 'omit',
    headers: { Accept: 'application/json', ...init.headers },
    // AbortSignal.timeout is missing from some older mobile browsers; there a request simply has no timeout.
    signal: AbortSignal.timeout?.(TIMEOUT_MS),
  });
  const body: unknown = await response.json().catch(() => undefined);
  const { ok, status, headers } = response;
  if (ok) return { ok, status, data: body as T };
  return { ok, status, headers, problem: isProblem(body) ? body : { type: 'about:blank', title: response.statusText, status } };
}
