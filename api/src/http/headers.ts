/**
 * The headers every response carries — security headers, and CORS where a path has it — computed once per
 * distinct case instead of once per request.
 *
 * Hono's `secureHeaders` and `cors` set their headers on `c.res` around `next()`. That costs a `Headers`
 * object, a merge of the handler's response into a second Response (a WHATWG one, whose body
 * @hono/node-server then reads back as a stream), and a dozen `has`/`set` calls on every answer; measured
 * under load it was most of the HTTP layer's time. Here the policy is the same — the security headers are
 * the ones `secureHeaders` produces with the options below, the CORS rules are `cors.ts`'s — but the
 * header record of each case is built when the app is, and a handler that answers through `respond()`
 * hands @hono/node-server a plain record it writes as is. A response built any other way gets the same
 * headers after the fact, as before.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppBindings } from './context.ts';
import type { CorsCase, CorsPolicy } from './cors.ts';

/** Header names in lower case, as `Headers` would hold them, so that two spellings never both go out. */
export type HeaderRecord = Readonly<Record<string, string>>;

/** The headers a request's answer carries, decided by `responseHeaders` before the handler runs. */
export interface PreparedHeaders {
  /** Security headers, then this case's CORS headers (and `vary: Origin` where CORS depends on it). */
  readonly all: HeaderRecord;
  readonly cors: CorsCase;
}

/** The options of the API's security headers (hono's `secureHeaders`); the tests compare against it. */
export const SECURITY_OPTIONS: Parameters<typeof secureHeaders>[0] = {
  // The API is meant to be called from partner sites; CORS, not CORP, decides who may read it.
  crossOriginResourcePolicy: 'cross-origin',
  // Only JSON comes from here: nothing may run, load or frame.
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  // The hosted HTML pages (api/src/hosted, …) send their own CSP, which allows their one inline style by hash.
  overwrite: false,
};

/**
 * The security headers exactly as `secureHeaders(SECURITY_OPTIONS)` sets them, read once from a response
 * it decorated: the middleware stays the definition, and none of its work is repeated per request.
 */
export async function securityHeaders(): Promise<HeaderRecord> {
  const probe = new Hono();
  probe.use(secureHeaders(SECURITY_OPTIONS));
  probe.get('/', (c) => c.body(null, 204));
  const response = await probe.request('/');
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return Object.freeze(headers);
}

type Body = string | Uint8Array<ArrayBuffer> | null;

const NOTHING_PREPARED: PreparedHeaders = { all: {}, cors: { headers: {}, varyOrigin: false, preflight: undefined } };

/**
 * Responses whose headers are complete (built by `respond`), with what they were built from: the
 * middleware leaves them alone, and compression (./compression.ts) reads the body and headers from here
 * rather than from the Response, which @hono/node-server would otherwise have to materialise.
 */
const complete = new WeakMap<Response, PreparedParts>();

export interface PreparedParts {
  readonly body: Body;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: HeaderRecord;
}

/** The parts of an answer built by `respond()` or `respondPrepared()`; undefined for any other Response. */
export function preparedParts(response: Response): PreparedParts | undefined {
  return complete.get(response);
}

/** Replaces hono's `secureHeaders` and `cors` middleware with the same headers, prepared once per case. */
export function responseHeaders(security: HeaderRecord, cors: CorsPolicy): MiddlewareHandler<AppBindings> {
  const prepared = new Map<CorsCase, PreparedHeaders>();
  const prepare = (corsCase: CorsCase): PreparedHeaders => {
    let found = prepared.get(corsCase);
    if (!found) {
      const all: Record<string, string> = { ...security, ...corsCase.headers };
      if (corsCase.varyOrigin) all['vary'] = 'Origin';
      found = { all: Object.freeze(all), cors: corsCase };
      prepared.set(corsCase, found);
    }
    return found;
  };
  const refused = prepare({ headers: {}, varyOrigin: false, preflight: undefined });

  return async (c, next) => {
    let corsCase: CorsCase;
    try {
      corsCase = cors.caseOf(c);
    } catch (error) {
      // A refused origin: its problem answer carries the security headers and no CORS ones.
      c.set('responseHeaders', refused);
      throw error;
    }
    if (corsCase.preflight && c.req.method === 'OPTIONS') {
      // Preflights are rare: hono's cors answers them as it always has.
      const response = (await corsCase.preflight(c, next)) as Response;
      addMissing(response.headers, security);
      return response;
    }
    c.set('responseHeaders', prepare(corsCase));
    await next();
    if (complete.has(c.res)) return;
    // A response built without `respond()`: the same headers, the slow way.
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(corsCase.headers)) headers.set(name, value);
    if (corsCase.varyOrigin) headers.append('vary', 'Origin');
    addMissing(headers, security);
    headers.delete('x-powered-by');
  };
}

/** Security headers never replace one the handler chose (the hosted pages' own CSP). */
function addMissing(headers: Headers, security: HeaderRecord): void {
  for (const [name, value] of Object.entries(security)) if (!headers.has(name)) headers.set(name, value);
}

/**
 * An answer with this request's prepared headers plus `headers` (a handler's header wins over a security
 * header, CORS headers win over a handler's, `Vary` gains `Origin` where CORS depends on it — as before).
 */
export function respond(c: Context, body: Body, status: number, headers: Record<string, string>): Response {
  // Outside `responseHeaders` (a router mounted on its own) there is nothing prepared to add.
  const prepared = (c as Context<AppBindings>).get('responseHeaders') ?? NOTHING_PREPARED;
  const all: Record<string, string> = { ...prepared.all };
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (Object.hasOwn(prepared.cors.headers, key)) continue;
    all[key] = key === 'vary' && prepared.cors.varyOrigin ? `${value}, Origin` : value;
  }
  return respondPrepared(body, status, all);
}

/** An answer whose header record is already complete (built from `prepared.all`, e.g. cached per counts view). */
export function respondPrepared(body: Body, status: number, headers: HeaderRecord): Response {
  const response = new Response(body, { status, headers });
  complete.set(response, { body, status, headers });
  return response;
}
