/**
 * The one phone rule of the public API: what a valid number is and its canonical (E.164) form. The sign
 * request schema applies it, so every channel (the JSON route, the hosted page, any later one) refuses the
 * same numbers with the same `invalid_phone` code, in the same round as the other fields, and hands the
 * API a number already in the form the blind index and the SMS provider need.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Default region for numbers written without a country code: supporters are mostly in Kenya. */
export const DEFAULT_PHONE_COUNTRY = 'KE';

/**
 * E.164 form of a phone number, or undefined when it is not a valid number. Kenyan numbers arrive as
 * `0712…`, `712…`, `254712…`, `+254712…`, `+254 712 …` and `0110…`: all of them become `+254…`.
 * Numbers of other countries need their `+` country code.
 */
export function normalisePhone(input: string): string | undefined {
  // libphonenumber also recognises Kenya's country code written without "+" (`254712…`) when the default
  // region is KE, so no special case is needed for it.
  const parsed = parsePhoneNumberFromString(input.trim(), DEFAULT_PHONE_COUNTRY);
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number;
}
