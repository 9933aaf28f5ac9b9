/**
 * Problem types and field error codes of the public API (RFC 9457 problem+json).
 *
 * Both are part of the public contract: partner code and the widget switch on them, so a name here is
 * never renamed, only added. Plain data, no dependencies, safe to bundle in the widget.
 */

const PROBLEM_PREFIX = 'urn:imlu:problem:' as const;

export const PROBLEM_NAMES = [
  'validation',
  'bad-request',
  'not-found',
  'campaign-closed',
  'rate-limited',
  'payload-too-large',
  'unsupported-media-type',
  'forbidden-origin',
  'idempotency-conflict',
  'method-not-allowed',
  'unavailable',
  'internal',
  'forbidden',
] as const;

export type ProblemName = (typeof PROBLEM_NAMES)[number];
export type ProblemType = `${typeof PROBLEM_PREFIX}${ProblemName}`;

export function problemType(name: ProblemName): ProblemType {
  return `${PROBLEM_PREFIX}${name}`;
}

/** The problem name of a type URI, or undefined when the URI is not one of ours. */
export function problemName(type: string): ProblemName | undefined {
  if (!type.startsWith(PROBLEM_PREFIX)) return undefined;
  const name = type.slice(PROBLEM_PREFIX.length);
  return (PROBLEM_NAMES as readonly string[]).includes(name) ? (name as ProblemName) : undefined;
}

/**
 * Stable codes for field errors. The API sends `{ path, code, message }`; `message` is English for
 * developers, `code` is what a UI translates for the signer.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'too_short',
  'too_long',
  'invalid_type',
  'invalid_name',
  'invalid_email',
  'invalid_phone',
  'invalid_county',
  'contact_required',
  'consent_required',
  'invalid_locale',
  'unknown_field',
  'invalid',
  'challenge_required',
  'challenge_failed',
  'actions_required',
  'invalid_action',
  'action_full',
  'action_past',
] as const;

export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export function isFieldErrorCode(value: unknown): value is FieldErrorCode {
  return typeof value === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(value);
}

/** English developer-facing text for each field error code. */
export const FIELD_ERROR_MESSAGES: Record<FieldErrorCode, string> = {
  required: 'This field is required.',
  too_short: 'This value is too short.',
  too_long: 'This value is too long.',
  invalid_type: 'This value has the wrong type.',
  invalid_name:
    'Enter your name as one line of plain text with at least one letter: no control characters (line breaks, tabs, NUL, ESC), no bidi overrides or isolates, no web addresses, and not starting with = + - or @ (even after invisible characters).',
  invalid_email: 'Enter a valid e-mail address.',
  invalid_phone: 'Enter a valid phone number, for example 0712 345678 or +254 712 345678.',
  invalid_county: 'Choose one of the 47 counties.',
  contact_required: 'Give an e-mail address or a phone number.',
  consent_required: 'You must accept the terms to sign.',
  invalid_locale: 'Unsupported language.',
  unknown_field: 'This field is not allowed.',
  invalid: 'This value is not valid.',
  challenge_required: 'This campaign asks the browser to solve a short check first; reload and try again.',
  challenge_failed: 'The browser check expired or was already used; try again.',
  actions_required: 'Choose at least one action to pledge.',
  invalid_action: 'This action is not part of this campaign.',
  action_full: 'This action has no places left; choose another.',
  action_past: 'This action has already taken place; choose another.',
};
