/**
 * The app factory. Everything the API needs is passed in — database, configuration, clock, logger — so
 * each test builds its own app on a fresh database, and nothing lives in a module-level singleton.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@libsql/client';
import { Altcha, type AltchaOptions } from './abuse/altcha.ts';
import { AccountabilityService, MilestoneTracker } from './accountability/service.ts';
import { attendanceRouter } from './pledges/attendance.router.ts';
import { pledgePageRouter } from './pledges/page.router.ts';
import { pledgeLinkTokens } from './pledges/links.ts';
import { accountabilityAdminRouter } from './accountability/admin.router.ts';
import { deliveryEmailHandler, staffPromptHandler } from './accountability/deliveries.ts';
import { accountabilityRouter } from './accountability/public.router.ts';
import { respondRouter } from './accountability/respond.router.ts';
import { DEFAULT_RATE_LIMITS, HardLimiter, type RateLimitConfig } from './abuse/rate-limit.ts';
import { auditRouter } from './audit/audit.router.ts';
import { AdminAuth } from './auth/tokens.ts';
import { tokensRouter } from './auth/tokens.router.ts';
import { adminCampaignsRouter } from './campaigns/admin-campaigns.router.ts';
import { exportsRouter } from './exports/exports.router.ts';
import { packRouter } from './exports/pack.router.ts';
import { signingKeysRouter } from './exports/signing-keys.router.ts';
import { strikeRouter } from './exports/strike.router.ts';
import { CampaignStore } from './campaigns/store.ts';
import { campaignsRouter } from './campaigns/campaigns.router.ts';
import { confirmRouter } from './confirm/confirm.router.ts';
import { confirmationsRouter } from './confirm/confirmations.router.ts';
import { CODE_TRIES_PER_SOURCE, RESENDS_PER_SOURCE, SOURCE_WINDOW_MS } from './confirm/confirmations.handlers.ts';
import { smsConfirmationHandler } from './confirm/sms.ts';
import { emailConfirmationHandler } from './confirm/send.ts';
import { ConfirmationTokens, deriveConfirmationKey } from './confirm/token.ts';
import { CountsSnapshot } from './counts/snapshot.ts';
import type { Db } from './db/client.ts';
import type { AppBindings, Services } from './http/context.ts';
import { compression } from './http/compression.ts';
import { corsPolicy } from './http/cors.ts';
import { respond, responseHeaders, securityHeaders } from './http/headers.ts';
import { problemResponses } from './http/openapi.ts';
import { errorHandler, notFoundHandler } from './http/problem.ts';
import { requestLog } from './http/request-log.ts';
import { validationHook } from './http/validation.ts';
import type { Logger } from './logging/logger.ts';
import { silentLogger } from './logging/logger.ts';
import type { MailTransport } from './messages/email.ts';
import type { SmsProvider } from './messages/sms.ts';
import { deliveryReportSecret, REPORTS_PER_MINUTE, smsReportsRouter } from './messages/sms-reports.ts';
import { adminRouter } from './moderation/admin.router.ts';
import { floodAlertMailHandler } from './moderation/flood-alerts.ts';
import { outboxAdminRouter } from './outbox/admin.router.ts';
import { OutboxWorker, type MessageHandler, type OutboxKind, type OutboxWorkerOptions } from './outbox/worker.ts';
import { signaturesRouter } from './signatures/signatures.router.ts';
import { statsRouter } from './stats/stats.router.ts';
import { FieldCrypto } from './signing/crypto.ts';
import { SignatureWriter, type CommitInfo } from './signing/writer.ts';
import { systemRouter } from './system/system.router.ts';
import { WidgetBundle } from './widget/widget-bundle.ts';
import { webhookHandler } from './webhooks/deliver.ts';
import { systemResolver, type WebhookTargetPolicy } from './webhooks/targets.ts';
import { webhooksRouter } from './webhooks/webhooks.router.ts';
import { widgetRouter } from './widget/widget.router.ts';
import { consoleRouter } from './staff/console.router.ts';
import { widgetPreviewRouter } from './staff/widget-preview.router.ts';
import { deriveCsrfKey, StaffSessions } from './staff/sessions.ts';
import { StaffSignIn } from './staff/sign-in.ts';
import { deriveFormTokenKey } from './hosted/form-token.ts';
import { hostedRouter } from './hosted/hosted.router.ts';
import { deriveManageKey, SignerAccess } from './signer/access.ts';
import { manageMessageHandler } from './signer/messages.ts';
import { meRouter } from './signer/me.router.ts';
import { updatesAdminRouter } from './updates/admin.router.ts';
import { UpdateFanout, type FanoutOptions } from './updates/fanout.ts';
import { pledgeReminderEmailHandler, pledgeReminderSmsHandler } from './pledges/reminders.ts';
import { unsubscribeTokens, updateEmailHandler, updateSmsHandler } from './updates/send.ts';
import { inboundSmsSecret, INBOUND_PER_MINUTE, smsInboundRouter } from './updates/stop.ts';
import { unsubscribeRouter } from './updates/unsubscribe.ts';

/** The part of the configuration the HTTP app needs (the full `Config` from env.ts satisfies it). */
export interface AppConfig {
  allowedOrigins: Iterable<string>;
  countsMaxAge: number;
  encryptionKey: Buffer;
  blindIndexKey: Buffer;
  /** `ENCRYPTION_KEY_PREVIOUS`: rows still under it are read while `imlu keys rotate` re-encrypts them. */
  previousEncryptionKey?: Buffer | undefined;
  /**
   * Bootstrap bearer token with every admin scope (`ADMIN_TOKEN`), next to the named tokens stored in
   * `admin_tokens`. Unset: only stored tokens work.
   */
  adminToken?: string | undefined;
  /** ALTCHA proof of work (difficulty, lifetime of a challenge). */
  altcha?: AltchaOptions | undefined;
  /** Rate limits; anything left out takes its default (`DEFAULT_RATE_LIMITS`). */
  rateLimits?: Partial<Omit<RateLimitConfig, 'soft'>> & { soft?: Partial<RateLimitConfig['soft']> };
}

export interface CreateAppOptions {
  db: Db;
  config: AppConfig;
  clock?: () => number;
  logger?: Logger;
  /** Grouping of the signature writer (defaults: 100 rows, 2 ms). */
  writer?: { maxBatchSize?: number; maxWaitMs?: number };
  /** Observer of every writer commit, after the counts snapshot took it in (tests count transactions). */
  onCommit?: (info: CommitInfo) => void;
  /** How often the counts snapshot re-reads the counts table (picks up other nodes' writes). Default 1 s. */
  countsRefreshMs?: number;
  /** Where the counts snapshot reads the counts table: an embedded replica (db/replica.ts). Default `db.client`. */
  countsClient?: Client;
  /** How long a campaign's accountability board stays cached (local writes drop it at once). Default 2 s. */
  accountabilityCacheMs?: number;
  /** How long a campaign stays cached. Default 2 s. */
  campaignCacheMs?: number;
  /** The widget bundle served at `/embed.js`. Default `packages/widget/dist/embed.js`. */
  widgetBundle?: string;
  /** The console's script served at `/console/app.js`. Default `packages/console/dist/console.js`. */
  consoleBundle?: string;
  /** Sends confirmation e-mails. Without it, e-mail messages stay queued in the outbox. */
  mail?: MailTransport;
  /** Sends confirmation SMS. Without it, SMS messages stay queued in the outbox. */
  sms?: SmsProvider;
  /** Where prompts to the campaign's staff go (a milestone calling for a delivery): `STAFF_EMAIL`. Unset: none are queued. */
  staffEmail?: string | undefined;
  /** Base URL of this API as signers reach it, for links in messages. Default `http://127.0.0.1:8787`. */
  publicBaseUrl?: string | (() => string);
  /** Outbox worker tuning (batch size, poll interval, lease, attempts, backoff, jitter source). */
  outbox?: Omit<OutboxWorkerOptions, 'handlers' | 'clock' | 'logger'>;
  /**
   * Which addresses webhooks may target (webhooks/targets.ts). Default: public addresses only, resolved
   * by the system; `startServer` allows loopback and private ones outside production.
   */
  webhooks?: Partial<WebhookTargetPolicy>;
  /** Updates to supporters (src/updates). */
  updates?: {
    /** SMS replies reach this API (a two-way short code): each update SMS says "Reply STOP". Default false. */
    smsReplyStop?: boolean;
    /** Fan-out tuning (page size, poll interval, throttle). */
    fanout?: Omit<FanoutOptions, 'clock' | 'logger' | 'onQueued'>;
  };
}

export interface Api {
  app: OpenAPIHono<AppBindings>;
  services: Services;
  /** The outbox worker (not started here: `startServer` starts it; tests call `runOnce()`). */
  outbox: OutboxWorker;
  /**
   * Updates to supporters: the fan-out of events into messages, and their own outbox worker (its own
   * kinds, so a million updates never wait in front of a confirmation). Not started here: `start()`.
   */
  updates: { fanout: UpdateFanout; outbox: OutboxWorker; start(): void };
  /** Stops timers and writes every pending signature. The database stays open: its owner closes it. */
  close(): Promise<void>;
}

export const API_VERSION = '0.1.0';

/** Pages addressed by a bearer token in their URL, never compressed (see `compression` in `createApp`). */
const TOKEN_PAGE = /^\/(?:me|p|r|u|v1\/confirm)(?:\/|$)/;

export async function createApp(options: CreateAppOptions): Promise<Api> {
  const { db, config } = options;
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const counts = new CountsSnapshot(options.countsClient ?? db.client, logger, clock);
  const accountability = new AccountabilityService(db, counts, clock, options.accountabilityCacheMs ?? 2000);
  const milestones = new MilestoneTracker(db, logger, (campaignId) => accountability.invalidate(campaignId), { promptStaff: Boolean(options.staffEmail) });
  counts.onChange((rows) => milestones.observe(rows));
  const crypto = new FieldCrypto(config);
  const tokens = new ConfirmationTokens(deriveConfirmationKey(config.blindIndexKey));
  const base = options.publicBaseUrl ?? 'http://127.0.0.1:8787';
  const publicBaseUrl = typeof base === 'function' ? base : () => base;
  const handlers: Partial<Record<OutboxKind, MessageHandler>> = {};
  // Manage my signature (`/me`): codes and private links, sent like confirmations (and in them).
  const signerAccess = new SignerAccess(deriveManageKey(config.blindIndexKey));
  const confirmation = { client: db.client, crypto, tokens, clock, publicBaseUrl, signerAccess };
  if (options.mail) handlers['confirm-email'] = emailConfirmationHandler(confirmation, options.mail);
  if (options.sms) handlers['confirm-sms'] = smsConfirmationHandler(confirmation, options.sms);
  const manage = { client: db.client, crypto, access: signerAccess, clock, publicBaseUrl };
  if (options.mail) handlers['manage-email'] = manageMessageHandler(manage, { mail: options.mail });
  if (options.sms) handlers['manage-sms'] = manageMessageHandler(manage, { sms: options.sms });
  // Webhooks are always delivered: their receivers are configured per campaign, not per deployment.
  const webhookTargets: WebhookTargetPolicy = { publicOnly: true, resolve: systemResolver, ...options.webhooks };
  if (options.mail) handlers['delivery-email'] = deliveryEmailHandler({ db, crypto, clock, publicBaseUrl }, options.mail);
  if (options.mail && options.staffEmail) {
    const prompts = staffPromptHandler({ db }, options.mail, options.staffEmail);
    handlers['staff-email'] = floodAlertMailHandler({ db, publicBaseUrl }, options.mail, options.staffEmail, prompts);
  }
  handlers['webhook'] = webhookHandler({ db, crypto, clock, targets: webhookTargets });
  const outbox = new OutboxWorker(db.client, { ...options.outbox, handlers, clock, logger });
  const unsubscribe = unsubscribeTokens(config.blindIndexKey);
  const replyStop = options.updates?.smsReplyStop ?? false;
  const updateContext = { client: db.client, crypto, clock, publicBaseUrl, unsubscribe, replyStop };
  const updateHandlers: Partial<Record<OutboxKind, MessageHandler>> = {};
  if (options.mail) updateHandlers['update-email'] = updateEmailHandler(updateContext, options.mail);
  if (options.sms) updateHandlers['update-sms'] = updateSmsHandler(updateContext, options.sms);
  // Pledge reminders go with the updates (bulk, never in front of a confirmation); src/pledges/reminders.ts.
  const pledgeLinks = pledgeLinkTokens(config.blindIndexKey);
  const reminderContext = { ...updateContext, pledgeLinks };
  if (options.mail) updateHandlers['pledge-reminder-email'] = pledgeReminderEmailHandler(reminderContext, options.mail);
  if (options.sms) updateHandlers['pledge-reminder-sms'] = pledgeReminderSmsHandler(reminderContext, options.sms);
  const updatesOutbox = new OutboxWorker(db.client, { ...options.outbox, handlers: updateHandlers, clock, logger });
  const fanout = new UpdateFanout(db, { ...options.updates?.fanout, clock, logger, onQueued: () => updatesOutbox.notify() });
  const writer = new SignatureWriter(db.client, {
    ...options.writer,
    now: clock,
    logger,
    onCommit: (info) => {
      counts.apply(info.counts);
      counts.applyActions(info.actionCounts);
      options.onCommit?.(info);
    },
    // The worker is woken for every batch that could have queued a message, whether it did or not, and
    // only after the callers are answered: a duplicate and a new signature cost the same before their
    // answer (the intake trigger's decoy, `src/db/sql/triggers/signature_intake_insert.sql`, and the
    // writer's floor for small batches, `src/signing/answer-floor.ts`).
    onAnswered: (info) => {
      if (info.confirming) outbox.notify();
    },
  });
  const rateLimits: RateLimitConfig = {
    ...DEFAULT_RATE_LIMITS,
    ...config.rateLimits,
    soft: { ...DEFAULT_RATE_LIMITS.soft, ...config.rateLimits?.soft },
  };
  const staffSessions = new StaffSessions(db.client, deriveCsrfKey(config.blindIndexKey), clock);
  const services: Services = {
    db,
    signerAccess,
    campaigns: new CampaignStore(db.orm, { ttlMs: options.campaignCacheMs ?? 2000, now: clock }),
    counts,
    writer,
    crypto,
    clock,
    logger,
    countsMaxAge: config.countsMaxAge,
    tokens,
    outbox,
    rateLimits,
    hardLimiter: rateLimits.hardPerMinute ? new HardLimiter(rateLimits.hardPerMinute, clock) : undefined,
    // SMS codes and new codes per source, beside the limits per code and per signature (confirmations.handlers.ts).
    codeLimiter: new HardLimiter(CODE_TRIES_PER_SOURCE, clock, SOURCE_WINDOW_MS),
    resendLimiter: new HardLimiter(RESENDS_PER_SOURCE, clock, SOURCE_WINDOW_MS),
    altcha: new Altcha(config.blindIndexKey, db.client, clock, config.altcha),
    accountability,
    milestones,
    publicBaseUrl,
    adminAuth: new AdminAuth(db, { bootstrapToken: config.adminToken, clock }),
    webhookTargets,
    staffSessions,
    staffSignIn: new StaffSignIn({ db, crypto, sessions: staffSessions, clock, logger, publicBaseUrl, mail: options.mail }),
  };
  // Milestones first: the first counts refresh then stamps any passed while no server watched.
  await milestones.load();
  await counts.start(options.countsRefreshMs ?? 1000);

  const app = new OpenAPIHono<AppBindings>({ defaultHook: validationHook });
  app.use(requestLog(logger));
  // Brotli or gzip for every text answer, around everything below so that it sees each answer complete.
  // Not the pages whose URL holds a bearer token (confirmation, manage, duty-bearer response, unsubscribe, pledge):
  // they carry that token and personal data in the body, and a compressed body's length can leak a secret
  // to someone who can also put text into the page and watch the sizes (BREACH). They are small anyway.
  app.use(compression({ skip: (path) => TOKEN_PAGE.test(path) }));
  // Security headers and CORS, prepared once per case (http/headers.ts).
  app.use(responseHeaders(await securityHeaders(), corsPolicy(config.allowedOrigins)));
  app.use(async (c, next) => {
    c.set('services', services);
    await next();
  });

  app.route('/', systemRouter());
  app.route('/', widgetRouter(new WidgetBundle(options.widgetBundle)));
  app.route('/v1/campaigns', campaignsRouter());
  app.route('/v1/campaigns', signaturesRouter());
  app.route('/v1/campaigns', confirmationsRouter());
  app.route('/v1/campaigns', accountabilityRouter());
  app.route('/', signingKeysRouter());
  app.route('/', confirmRouter());
  app.route('/', smsReportsRouter({ secret: deliveryReportSecret(config.blindIndexKey), limiter: new HardLimiter(REPORTS_PER_MINUTE, clock) }));
  app.route('/', smsInboundRouter({ secret: inboundSmsSecret(config.blindIndexKey), limiter: new HardLimiter(INBOUND_PER_MINUTE, clock) }));
  app.route('/', unsubscribeRouter(unsubscribe));
  app.route('/', pledgePageRouter(pledgeLinks));
  app.route('/', adminRouter());
  app.route('/', tokensRouter());
  app.route('/', adminCampaignsRouter());
  app.route('/', exportsRouter());
  app.route('/', packRouter());
  app.route('/', strikeRouter());
  app.route('/', auditRouter());
  app.route('/', webhooksRouter());
  app.route('/', updatesAdminRouter({ unsubscribe, replyStop }));
  app.route('/', outboxAdminRouter());
  app.route('/', statsRouter());
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An admin token (`imlu_at_…`, created with `imlu token create` or POST /admin/tokens) or the bootstrap ADMIN_TOKEN. ' +
      'A missing, unknown or revoked token gets 404 not-found; a token without the scope a route needs gets 403 forbidden.',
  });
  app.route('/c', hostedRouter(deriveFormTokenKey(config.blindIndexKey)));
  app.route('/', accountabilityAdminRouter());
  app.route('/', attendanceRouter());
  app.route('/r', respondRouter(deriveFormTokenKey(config.blindIndexKey)));
  app.route('/', meRouter(signerAccess));
  app.route('/', consoleRouter(options.consoleBundle ? new WidgetBundle(options.consoleBundle) : undefined));
  app.route('/', widgetPreviewRouter());
  app.openAPIRegistry.registerComponent('securitySchemes', 'consoleSession', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-imlu_console',
    description:
      'A console session (src/staff). Admin routes accept it in place of a bearer token, with the staff member’s role’s scopes; ' +
      'any change made with it needs the same origin and the session’s `X-CSRF-Token` header (403 without).',
  });

  // The document describes itself too, so that "every route" really is every route.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags: ['operations'],
    summary: 'This OpenAPI 3.1 document, generated from the same zod schemas that validate requests',
    responses: {
      200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } },
      ...problemResponses(500),
    },
  });
  const documentConfig: Parameters<typeof app.getOpenAPI31Document>[0] = {
    openapi: '3.1.0',
    info: {
      title: 'IMLU Campaign SDK API',
      version: API_VERSION,
      description:
        'Public API of the IMLU Campaign SDK. Every error is `application/problem+json` (RFC 9457) with a stable `type` `urn:imlu:problem:<name>`.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
    },
  };
  // Every route is registered before the first request, so the document is generated once (zod-openapi's
  // `doc31` would generate it again for every request).
  let openApiJson: string | undefined;
  app.get('/openapi.json', (c) => {
    openApiJson ??= JSON.stringify(app.getOpenAPI31Document(documentConfig));
    return respond(c, openApiJson, 200, { 'content-type': 'application/json' });
  });

  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);

  return {
    app,
    services,
    outbox,
    updates: {
      fanout,
      outbox: updatesOutbox,
      start() {
        fanout.start();
        updatesOutbox.start();
      },
    },
    async close() {
      counts.stop();
      await writer.close();
      await milestones.settled();
      // After the writer: its last commits may have queued messages; stopping lets the round in progress
      // finish and record its outcomes. Anything still queued is sent after the next start. The fan-out
      // stops between pages: its cursor says where the next start resumes.
      await Promise.all([outbox.stop(), fanout.stop(), updatesOutbox.stop(), services.staffSignIn.settled()]);
    },
  };
}
