/**
 * Bot friction that costs people nothing: a honeypot field hidden from them, and a minimum fill time.
 * Tripping either does not refuse the signature — a refusal teaches a bot what to change — it is stored
 * `suspect` (never counted, never sent a message) and answered exactly like any other.
 */
import type { CampaignRecord } from '../campaigns/store.ts';
import type { RateLimitConfig } from './rate-limit.ts';

export interface FrictionSignals {
  /** The source is exempt from limits (loopback outside production): the fill time is not judged. */
  exempt?: boolean | undefined;
  /** The honeypot field's content, if any. */
  website?: string | undefined;
  /** Milliseconds from the first interaction (widget) or from the form being served (hosted page). */
  elapsedMs?: number | undefined;
}

/** True when a submission looks automated: honeypot filled, or sent faster than a person could. */
export function trippedFriction(signals: FrictionSignals, config: Pick<RateLimitConfig, 'minFillMs'>): boolean {
  if (signals.website !== undefined && signals.website.trim() !== '') return true;
  // Loopback outside production is exempt from the fill time as from the rate limits: the demo is driven
  // by browser automation there, which fills a form in milliseconds. The honeypot still applies.
  if (signals.exempt) return false;
  return config.minFillMs > 0 && signals.elapsedMs !== undefined && signals.elapsedMs < config.minFillMs;
}

/** The server's limits with the campaign's own soft limits over them. */
export function limitsFor(campaign: Pick<CampaignRecord, 'rateLimits'>, config: RateLimitConfig): RateLimitConfig {
  if (!campaign.rateLimits) return config;
  return { ...config, soft: { ...config.soft, ...campaign.rateLimits } };
}
