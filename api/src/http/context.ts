/**
 * Types shared by the routers. Services reach handlers through the request context (set once per request
 * by `createApp`), so handlers are plain functions and there is no module-level database.
 */
import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Altcha } from '../abuse/altcha.ts';
import type { Actor } from '../auth/actor.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AdminAuth } from '../auth/tokens.ts';
import type { HardLimiter, RateLimitConfig } from '../abuse/rate-limit.ts';
import type { AccountabilityService, MilestoneTracker } from '../accountability/service.ts';
import type { CampaignRecord, CampaignStore } from '../campaigns/store.ts';
import type { CountsSnapshot } from '../counts/snapshot.ts';
import type { ConfirmationTokens } from '../confirm/token.ts';
import type { Db } from '../db/client.ts';
import type { SignerAccess } from '../signer/access.ts';
import type { StaffSessions } from '../staff/sessions.ts';
import type { StaffSignIn } from '../staff/sign-in.ts';
import type { Logger } from '../logging/logger.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import type { PreparedHeaders } from './headers.ts';
import type { SignatureWriter } from '../signing/writer.ts';
import type { WebhookTargetPolicy } from '../webhooks/targets.ts';

export interface Services {
  db: Db;
  /** Seals and opens the private links of manage-my-signature (`/me`). */
  signerAccess: SignerAccess;
  campaigns: CampaignStore;
  counts: CountsSnapshot;
  writer: SignatureWriter;
  crypto: FieldCrypto;
  /** Milliseconds since the epoch; injected so tests can open and close campaigns in time. */
  clock: () => number;
  logger: Logger;
  countsMaxAge: number;
  /** Signs and checks confirmation links. */
  tokens: ConfirmationTokens;
  /** Sends queued messages; started by `startServer`, driven by hand (`runOnce`) in tests. */
  outbox: OutboxWorker;
  rateLimits: RateLimitConfig;
  /** Undefined when the hard limit is off. */
  hardLimiter: HardLimiter | undefined;
  /** SMS codes tried per source; new SMS codes asked per source. */
  codeLimiter: HardLimiter | undefined;
  resendLimiter: HardLimiter | undefined;
  /** Proof-of-work challenges for campaigns that ask for them. */
  altcha: Altcha;
  /** The accountability board (cached reads) of each campaign. */
  accountability: AccountabilityService;
  milestones: MilestoneTracker;
  /** Base URL of this API as people reach it (response links). */
  publicBaseUrl: () => string;
  /** Authenticates admin bearer tokens (stored tokens and the bootstrap `ADMIN_TOKEN`). */
  adminAuth: AdminAuth;
  /** Where webhooks may be delivered: checked when one is created and at every delivery. */
  webhookTargets: WebhookTargetPolicy;
  /** Console sessions (cookie, CSRF) and the sign-in by e-mail link and TOTP (src/staff). */
  staffSessions: StaffSessions;
  staffSignIn: StaffSignIn;
}

export interface AppBindings {
  Variables: {
    services: Services;
    /** Set by `responseHeaders` before any route runs: the headers this request's answer carries. */
    responseHeaders: PreparedHeaders;
    /** Set by `loadOpenCampaign` on the signing route. */
    campaign: CampaignRecord;
    /** Set by `requireScope` on admin routes: who is calling, for the audit log. */
    actor: Actor;
    /** Set by `requireScope`: every scope the calling token holds. */
    scopes: ReadonlySet<Scope>;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
