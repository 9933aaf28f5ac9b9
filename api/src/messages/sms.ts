/**
 * SMS delivery behind a provider interface: an adapter for Africa's Talking (Kenya's common SMS gateway)
 * and a development provider that prints messages so the demo can be confirmed by hand.
 *
 * Africa's Talking: `POST {base}/version1/messaging`, form-encoded `username`, `to`, `message`, optional
 * `from` (a registered sender id), header `apiKey`, `Accept: application/json`. The answer lists
 * `SMSMessageData.Recipients[]` with `status`, `statusCode` and `messageId`; 100–102 mean accepted
 * (Processed, Sent, Queued). Delivery reports arrive later at our callback (`sms.router.ts`).
 */
import { DeliveryError } from '../outbox/worker.ts';

export interface SmsProvider {
  readonly name: string;
  /** Resolves with the provider's message id when it has one; throws a `DeliveryError` on failure. */
  send(to: string, text: string): Promise<{ providerRef?: string | undefined }>;
}

export interface AfricasTalkingOptions {
  username: string;
  apiKey: string;
  /** Registered sender id or short code; omitted = the account's default. */
  from?: string | undefined;
  /** `https://api.africastalking.com` (default) or `https://api.sandbox.africastalking.com`. */
  baseUrl?: string;
  /** Abort a request after this many ms. Default 15 s. */
  timeoutMs?: number;
}

/** Recipient status codes that will not change on a retry: the number itself is the problem. */
const PERMANENT_RECIPIENT_CODES = new Set([403, 404, 406]); // InvalidPhoneNumber, UnsupportedNumberType, UserInBlacklist

export function africasTalkingProvider(options: AfricasTalkingOptions): SmsProvider {
  const endpoint = `${(options.baseUrl ?? 'https://api.africastalking.com').replace(/\/+$/, '')}/version1/messaging`;
  return {
    name: 'africastalking',
    async send(to, text) {
      const form = new URLSearchParams({ username: options.username, to, message: text });
      if (options.from) form.set('from', options.from);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { apiKey: options.apiKey, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new DeliveryError((error as Error).name === 'TimeoutError' ? 'at-timeout' : 'at-network', false, { cause: error });
      }
      if (!response.ok) {
        // 401 (bad key/username) and 5xx may be fixed by an operator or pass: retry with backoff.
        throw new DeliveryError(`at-http-${response.status}`, false);
      }
      const body = (await response.json().catch(() => undefined)) as
        | { SMSMessageData?: { Recipients?: { status?: string; statusCode?: number; messageId?: string }[] } }
        | undefined;
      const recipient = body?.SMSMessageData?.Recipients?.[0];
      if (!recipient || typeof recipient.statusCode !== 'number') throw new DeliveryError('at-no-recipient', false);
      if (recipient.statusCode >= 100 && recipient.statusCode <= 102) return { providerRef: recipient.messageId };
      throw new DeliveryError(`at-${recipient.statusCode}`, PERMANENT_RECIPIENT_CODES.has(recipient.statusCode));
    },
  };
}

/** Development only: prints the SMS (the demo operator's own console) instead of sending it. */
export function consoleSmsProvider(print: (text: string) => void = (text) => console.info(text)): SmsProvider {
  return {
    name: 'console',
    send(to, text) {
      print(`\n--- SMS (development: printed, not sent) ---\nTo: ${to}\n${text}\n---\n`);
      return Promise.resolve({});
    },
  };
}

/** The GSM 03.38 basic character set (one septet each) and its extension table (two septets each). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

/** Septets the text takes in GSM-7, or undefined when it has a character outside GSM-7 (then UCS-2). */
export function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENSION.includes(ch)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** True when the text is one SMS segment: GSM-7 and at most 160 septets. */
export function fitsOneGsm7Segment(text: string): boolean {
  const length = gsm7Length(text);
  return length !== undefined && length <= 160;
}

/**
 * How a text travels as SMS: GSM-7 (160 septets in one segment, 153 per part of a longer one) or, with
 * any character outside it, UCS-2 (70 UTF-16 units, 67 per part). What a campaigner's preview shows.
 */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number } {
  const septets = gsm7Length(text);
  if (septets !== undefined) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
