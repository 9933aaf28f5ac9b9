/**
 * The one error path. Handlers and middleware throw; `onError` and `notFound` turn everything into an
 * RFC 9457 `application/problem+json` response with a stable `type` from `@imlu/contracts`.
 *
 * `detail` is always one of our fixed sentences, never built from request input: an error response must
 * not echo back what a signer typed (it could end up in a partner's logs or error tracker).
 */
import {
  FIELD_ERROR_MESSAGES,
  isFieldErrorCode,
  problemType,
  type FieldError,
  type FieldErrorCode,
  type Locale,
  type Problem,
  type ProblemName,
} from '@imlu/contracts';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { message, pickLocale } from '../i18n/index.ts';
import type { Logger } from '../logging/logger.ts';
import { respond } from './headers.ts';

/** Each problem's status; its title is in the message catalogs (`api.problems.<name>`), in English and Kiswahili. */
export const PROBLEMS: Record<ProblemName, { status: ContentfulStatusCode }> = {
  validation: { status: 422 },
  'bad-request': { status: 400 },
  'not-found': { status: 404 },
  'campaign-closed': { status: 409 },
  'rate-limited': { status: 429 },
  'payload-too-large': { status: 413 },
  'unsupported-media-type': { status: 415 },
  'forbidden-origin': { status: 403 },
  'idempotency-conflict': { status: 422 },
  'method-not-allowed': { status: 405 },
  unavailable: { status: 503 },
  internal: { status: 500 },
  forbidden: { status: 403 },
};

export interface ProblemOptions {
  detail?: string;
  /** The detail from the catalog, in the answer's language (in place of `detail`, which stays the English). */
  localDetail?: (locale: Locale) => string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
  /** The language the request chose itself (a signature's `locale`); else Accept-Language decides. */
  locale?: Locale;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly problem: ProblemName;
  readonly status: ContentfulStatusCode;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly locale: Locale | undefined;
  readonly #localDetail: ((locale: Locale) => string) | undefined;

  constructor(problem: ProblemName, options: ProblemOptions = {}) {
    // A problem is an answer, not a fault: nothing reads its stack, and capturing one through the request's
    // async frames cost about a fifth of a 429 — the answer a flood gets, over and over.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(problemTitle(problem, 'en'), { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.problem = problem;
    this.status = PROBLEMS[problem].status;
    this.#localDetail = options.localDetail;
    this.detail = options.localDetail?.('en') ?? options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.locale = options.locale;
  }

  toProblem(locale: Locale = 'en'): Problem {
    const body: Problem = { type: problemType(this.problem), title: problemTitle(this.problem, locale), status: this.status };
    const detail = this.#localDetail?.(locale) ?? this.detail;
    if (detail !== undefined) body.detail = detail;
    if (this.errors !== undefined) body.errors = this.errors;
    return body;
  }
}

export function fieldError(path: string, code: FieldErrorCode): FieldError {
  return { path, code, message: FIELD_ERROR_MESSAGES[code] };
}

export function problemTitle(problem: ProblemName, locale: Locale): string {
  return message(locale, `api.problems.${problem}`);
}

export function validationProblem(errors: FieldError[], locale?: Locale): ProblemError {
  return new ProblemError('validation', { errors, locale });
}

function localisedErrors(errors: FieldError[], locale: Locale): FieldError[] {
  return errors.map((e) => (isFieldErrorCode(e.code) ? { ...e, message: message(locale, `api.fieldErrors.${e.code}`) } : e));
}

/**
 * The problem in the request's language — its own choice, else Accept-Language, else English: the title and
 * the field messages. A signer's client may show them as they are, so a Kiswahili request must not get English.
 */
export function problemResponse(c: Context, error: ProblemError): Response {
  // Errors must not be cached by browsers or CDNs: a 404 for a campaign published a minute later, or a
  // 503 during a blip, would otherwise stick.
  const locale = pickLocale(error.locale, c.req.header('Accept-Language'));
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    'content-language': locale,
    vary: 'Accept-Language',
    ...error.headers,
  };
  // Every 503 says when to try again, whichever code raised it: a client (the widget, a proxy) retries then.
  if (error.status === 503 && !Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')) headers['retry-after'] = '1';
  const body = error.toProblem(locale);
  if (body.errors?.length) body.errors = localisedErrors(body.errors, locale);
  return respond(c, JSON.stringify(body), error.status, headers);
}

/** Problem names for the HTTP errors Hono's own middleware throws. */
const HTTP_STATUS_PROBLEMS: Partial<Record<number, ProblemName>> = {
  400: 'bad-request',
  403: 'forbidden-origin',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
};

const TRANSIENT_DATABASE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR'];

export function toProblemError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof HTTPException) {
    const name = HTTP_STATUS_PROBLEMS[error.status] ?? (error.status >= 500 ? 'internal' : 'bad-request');
    return new ProblemError(name, { cause: error });
  }
  if (error instanceof Error && error.name === 'WriterUnavailableError') {
    return new ProblemError('unavailable', { headers: { 'Retry-After': '1' }, cause: error });
  }
  // The database refusing for a while (another process's lock, a full disk, an I/O error) is not a bug:
  // a 503 that says when to retry, like the writer's, not a 500.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_DATABASE_CODES.some((prefix) => code.startsWith(prefix))) {
    return new ProblemError('unavailable', { headers: { 'Retry-After': '1' }, cause: error });
  }
  return new ProblemError('internal', { cause: error });
}

export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const problem = toProblemError(error);
    if (problem.status >= 500) {
      // Server faults are logged by kind and code only: driver messages can quote SQL, and a message from
      // our own code could, one day, include a value. The request log line carries the route and status.
      const cause = problem.cause ?? error;
      logger.error('request failed', {
        problem: problem.problem,
        error: cause instanceof Error ? cause.name : typeof cause,
        code: typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : undefined,
      });
    }
    return problemResponse(c, problem);
  };
}

export const notFoundHandler: NotFoundHandler = (c) => problemResponse(c, new ProblemError('not-found'));

/** Turns zod issues into one `{ path, code, message }` per field; the contracts' messages ARE the codes. */
export function fieldErrorsFromIssues(
  issues: readonly { code: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] }[],
): FieldError[] {
  const byPath = new Map<string, FieldError>();
  const add = (path: string, code: FieldErrorCode) => {
    if (!byPath.has(path)) byPath.set(path, fieldError(path, code));
  };
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'unknown_field');
    } else {
      add(base, isFieldErrorCode(issue.message) ? issue.message : 'invalid');
    }
  }
  return [...byPath.values()];
}
