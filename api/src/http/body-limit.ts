/**
 * Request body size limit: Hono's `bodyLimit`, with a fast path for the usual case.
 *
 * A body with a Content-Length (and no Transfer-Encoding) is judged by that header alone: Node's HTTP
 * parser never delivers more bytes than it announces. Only then can @hono/node-server read the body
 * straight from the socket for `c.req.json()`; Hono's `bodyLimit` touches `c.req.raw.body`, which builds
 * a full WHATWG Request and stream per request. Bodies without a length (chunked) go through `bodyLimit`,
 * which counts bytes while reading.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from './problem.ts';

export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ProblemError('payload-too-large');
  };
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('Content-Length');
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
