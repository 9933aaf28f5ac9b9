import type { Context } from 'hono';

/**
 * The fields of a plain HTML form post (urlencoded or multipart), or `{}` for any other media type, so a
 * JSON or text body on a form route reads as an empty form and gets the form's own field errors.
 */
export async function readFormBody(c: Context): Promise<Record<string, unknown>> {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data'
    ? ((await c.req.parseBody()) as Record<string, unknown>)
    : {};
}
