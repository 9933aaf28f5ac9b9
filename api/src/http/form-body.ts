import type { Context } from 'hono';

/**
 * The fields of a plain HTML form post (urlencoded or multipart), or `{}` for any other media type, so a
 * JSON or text body on a form route reads as an empty form and gets the form's own field errors.
 * With `all`, a name sent more than once (a group of checkboxes) reads as the list of its values; without
 * it, as its last value.
 */
export async function readFormBody(c: Context, options: { all?: boolean } = {}): Promise<Record<string, unknown>> {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data'
    ? ((await c.req.parseBody({ all: options.all ?? false })) as Record<string, unknown>)
    : {};
}
