/**
 * The signing chunk's catalog: `./signing-messages.ts` per locale, built like `catalog()` in `./index.ts`.
 * It imports the Kiswahili templates itself; in the bundle, build/split-translations.ts hands this module
 * only the templates of the signing messages and `./index.ts` only the others.
 */
import type { FieldErrorCode } from '@imlu/contracts/problems';
import { templates as sw } from './generated/sw.ts';
import type { Locale, msgFor as MsgFor, Templates } from './index.ts';
import { signingMessages, type SigningCatalog } from './signing-messages.ts';

export type { SigningCatalog };
export type SigningKey = keyof SigningCatalog;

const templatesByLocale: Record<Locale, Templates | undefined> = { en: undefined, sw };
const catalogs = new Map<Locale, SigningCatalog>();

/** `msgFor` comes from the caller: importing it from ./index.ts would tie this chunk to embed.js (see petition/signing.ts). */
export function signingCatalog(locale: Locale, msgFor: typeof MsgFor): SigningCatalog {
  let result = catalogs.get(locale);
  if (!result) catalogs.set(locale, (result = signingMessages(msgFor(templatesByLocale[locale]))));
  return result;
}

/** The signer-facing message for an API field error code; unknown and unreachable codes get the generic one. */
export function fieldErrorMessage(locale: Locale, code: FieldErrorCode | string, msgFor: typeof MsgFor): string {
  const messages = signingCatalog(locale, msgFor);
  return (messages[`err_${code}` as SigningKey] as string | undefined) ?? messages.err_invalid;
}
