/**
 * Per campaign: which events send an update to the signers who opted in, and where the update links to.
 *
 * The default is no events. Every update costs the campaign money (SMS) and reaches people who may be at
 * risk for having signed, so sending is something a campaigner turns on, after previewing the text
 * (`imlu updates preview`), not something an upgrade or a forgotten field turns on for them.
 */
import { z } from '@hono/zod-openapi';
import type { EnvConfig } from '../config/env.ts';

export const UPDATE_EVENTS = ['position', 'milestone', 'closed'] as const;
export type UpdateEventKind = (typeof UPDATE_EVENTS)[number];

export interface UpdateSettings {
  events: UpdateEventKind[];
  /** Where messages link to (the campaign's page on the partner's site); null: the API's hosted page `/c/<slug>`. */
  link: string | null;
}

export const UpdateSettingsSchema = z
  .strictObject({
    events: z
      .array(z.enum(UPDATE_EVENTS))
      .max(UPDATE_EVENTS.length)
      .default([])
      .meta({
        description:
          'Events that send a short message to signers who opted in to updates: `position` (a duty bearer\'s position changed), ' +
          '`milestone` (the count reached a milestone), `closed` (the campaign closed). Default: none.',
      }),
    link: z
      .url({ protocol: /^https$/, error: 'invalid' })
      .max(200)
      .nullable()
      .default(null)
      .meta({ description: "Where updates link to, e.g. the campaign's page on the partner's site (https). Default: the hosted page `/c/<slug>`." }),
  })
  .meta({ id: 'UpdateSettings' });

export const NO_UPDATES: UpdateSettings = { events: [], link: null };

/** The stored settings in a canonical form (known events only, each once, in a fixed order). */
export function normaliseUpdateSettings(value: unknown): UpdateSettings {
  const raw = (value && typeof value === 'object' ? value : {}) as { events?: unknown; link?: unknown };
  const events = Array.isArray(raw.events) ? raw.events : [];
  return {
    events: UPDATE_EVENTS.filter((kind) => events.includes(kind)),
    link: typeof raw.link === 'string' && raw.link ? raw.link : null,
  };
}

/** Whether a campaign's stored settings send updates for this kind of event. */
export function notifies(value: unknown, kind: UpdateEventKind): boolean {
  return normaliseUpdateSettings(value).events.includes(kind);
}

/** A JSON column as libSQL returns it (text), parsed; anything unreadable is null. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

/**
 * Whether a signer's SMS reply reaches this API, so an update SMS may say "Reply STOP": with Africa's
 * Talking, only from a short code (a numeric `AT_SENDER_ID`); an alphanumeric sender id cannot be answered
 * (the provider adds its own opt-out instructions to the first message, and reports opt-outs to the same
 * callback). In development the console provider shows the full text.
 */
export function smsRepliesReachUs(config: Pick<EnvConfig, 'smsProvider' | 'africasTalking'>): boolean {
  if (config.smsProvider === 'console') return true;
  return config.smsProvider === 'africastalking' && /^\d{3,8}$/.test(config.africasTalking?.senderId ?? '');
}
