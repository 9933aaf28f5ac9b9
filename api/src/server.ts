/**
 * Starts the real server: keys, database, migrations, demo seed, the API and (for the demo) the partner
 * site. Used by `main.ts`, the end-to-end tests and the benchmark, so all three run the same code.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@libsql/client';
import { createApp, type Api, type CreateAppOptions } from './app.ts';
import { demoResponseLink, seedDemoBoard } from './accountability/demo-board.ts';
import { DEMO_CAMPAIGN, seedDemoIfEmpty } from './campaigns/demo-seed.ts';
import { firstPaintRenderer } from './widget/first-paint.ts';
import { seedDemoPledge } from './pledges/demo-pledge.ts';
import { ensureDemoStaff, type DemoStaffSignIn } from './staff/demo.ts';
import type { EnvConfig } from './config/env.ts';
import { secureDataDir } from './config/data-dir.ts';
import { resolveKeys } from './config/keys.ts';
import { createDb, migrateDb, pruneIdempotencyKeys, pruneSigningAttempts, type Db } from './db/client.ts';
import { backfillPhoneNameKeys } from './db/backfill.ts';
import { openCountsReplica } from './db/replica.ts';
import { runRetention } from './retention/retention.ts';
import { runPledgeReminders } from './pledges/reminders.ts';
import { pruneCodeAttempts } from './confirm/confirmations.handlers.ts';
import { verifyKeyFingerprint } from './db/key-check.ts';
import { partnerSiteApp } from './demo/partner-site.ts';
import { silentLogger, type Logger } from './logging/logger.ts';
import { consoleTransport, smtpTransport, type MailTransport } from './messages/email.ts';
import { africasTalkingProvider, consoleSmsProvider, type SmsProvider } from './messages/sms.ts';
import { deliveryReportUrl } from './messages/sms-reports.ts';
import { checkFloods, DEFAULT_FLOOD_THRESHOLDS } from './moderation/flood-alerts.ts';
import { runReconciliation } from './moderation/reconciliation.ts';
import { FieldCrypto } from './signing/crypto.ts';
import { smsRepliesReachUs } from './updates/settings.ts';
import { markStopping } from './system/readiness.ts';

/** Idempotency records are kept for a day: long enough for any retry, short enough to hold nothing for long. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StartServerOptions {
  config: EnvConfig;
  logger?: Logger;
  /**
   * Seed the demo campaign into an empty database. Default true outside production; production never
   * seeds (its made-up statements are attributed to real offices), whatever this says.
   */
  seed?: boolean;
  /** Start the demo partner site on DEMO_PORT. Default true outside production; never in production. */
  partnerSite?: boolean;
  partnerSiteDir?: string;
  widgetBundle?: string;
  /** Passed on to `createApp` (writer grouping, refresh intervals, commit observer). */
  app?: Omit<CreateAppOptions, 'db' | 'config' | 'logger'>;
}

export interface RunningServer {
  apiUrl: string;
  /** Undefined when the partner site was not started. */
  partnerUrl: string | undefined;
  /** Path of the key file written by this start, if keys were generated. */
  generatedKeysFile: string | undefined;
  seeded: boolean;
  /**
   * Development only: a response link (`/r/…`) for one of the demo campaign's duty bearers, issued at this
   * start so a person can try the response page. Undefined in production or without the demo campaign.
   */
  demoResponseUrl: string | undefined;
  /**
   * Development only: the demo staff account's sign-in for the console (address and TOTP secret), which
   * `main.ts` prints. Undefined in production or without the demo data.
   */
  demoStaff: DemoStaffSignIn | undefined;
  /**
   * With `SMS_PROVIDER=africastalking`: the delivery-report callback URL to configure in its dashboard (the
   * same as `imlu sms callback-url`). It holds a secret: `main.ts` prints it to the console once, never to a log.
   */
  smsCallbackUrl: string | undefined;
  allowedOrigins: string[];
  db: Db;
  api: Api;
  /**
   * Stops taking requests at once (the listeners close; a response on an open keep-alive connection says
   * `Connection: close` and the connection is closed once it is idle), lets running requests finish (for
   * up to `STOP_GRACE_MS`), flushes the writer, closes the database. Calling it again returns the same stop.
   */
  close(): Promise<void>;
}

/**
 * How long running requests may take to finish once a stop began; then their connections are cut. A
 * signature is answered within milliseconds of its commit, so this only bounds a client that sends its
 * body very slowly. Well under the 10 s an orchestrator usually waits before SIGKILL.
 */
export const STOP_GRACE_MS = 5_000;

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  // The demo (campaign, duty-bearer statements, partner site, response link) never runs in production.
  const demo = config.nodeEnv !== 'production';
  const seed = demo && options.seed !== false;
  secureDataDir(config.dataDir);
  const keys = resolveKeys(config);
  if (keys.generatedFile) {
    logger.warn('generated new encryption and blind-index keys (development only; keep this file, never commit it)', {
      file: keys.generatedFile,
    });
  }

  // The petition's server renderer starts loading now, on a thread of its own (src/widget/first-paint.ts):
  // the first signer after a start need not wait the ~1 s it takes, and nothing on this thread waits for it.
  firstPaintRenderer().catch((error: unknown) => logger.warn('the first-paint renderer did not load: petitions render themselves', { error: (error as Error).name }));
  const db = await createDb(config.databaseUrl, config.databaseAuthToken);
  const servers: StoppableServer[] = [];
  let replica: Client | undefined;
  try {
    await migrateDb(db);
    await verifyKeyFingerprint(db, new FieldCrypto(keys));
    const rekeyed = await backfillPhoneNameKeys(db, new FieldCrypto(keys));
    if (rekeyed) logger.info('re-keyed phone numbers for family phones (migration 0012)', { rows: rekeyed });
    const seeded = seed ? await seedDemoIfEmpty(db) : false;
    if (seeded) {
      await seedDemoBoard(db, new FieldCrypto(keys), DEMO_CAMPAIGN.slug, Date.now());
      await seedDemoPledge(db, new FieldCrypto(keys), Date.now());
      logger.info('seeded the demo campaign', { slug: DEMO_CAMPAIGN.slug });
    }

    const host = config.host;
    const urlHost = urlHostFor(host);
    const allowedOrigins = new Set(config.allowedOrigins);
    let apiPort = 0;

    let partnerUrl: string | undefined;
    if (demo && options.partnerSite !== false) {
      const partner = partnerSiteApp({
        siteDir: options.partnerSiteDir,
        widgetBundle: options.widgetBundle,
        apiPort: () => apiPort,
        fallbackHost: urlHost,
      });
      const { server, port } = await listen(partner.fetch, host, config.demoPort);
      servers.push(server);
      partnerUrl = `http://${urlHost}:${port}`;
      for (const name of hostNamesFor(host)) allowedOrigins.add(`http://${name}:${port}`);
    }

    let mail: MailTransport | undefined;
    if (config.smtpUrl) mail = smtpTransport({ url: config.smtpUrl, from: config.mailFrom });
    else if (config.nodeEnv !== 'production') mail = consoleTransport();
    else logger.warn('SMTP_URL is not set: confirmation e-mails wait in the outbox until it is');
    let sms: SmsProvider | undefined;
    if (config.smsProvider === 'africastalking' && config.africasTalking) {
      const at = config.africasTalking;
      sms = africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: at.senderId, baseUrl: at.baseUrl });
    } else if (config.smsProvider === 'console') sms = consoleSmsProvider();
    else logger.warn('SMS_PROVIDER is none: confirmation SMS wait in the outbox until a provider is configured');
    // COUNTS_REPLICA_SYNC_MS: the counts snapshot reads a local replica, as often as libSQL syncs it.
    if (config.countsReplicaSyncMs) {
      const { countsReplicaSyncMs: intervalMs, databaseUrl, databaseAuthToken: authToken, dataDir: dir } = config;
      replica = await openCountsReplica({ dir, databaseUrl, authToken, intervalMs });
    }
    let apiUrl = '';
    const api = await createApp({
      ...(replica ? { countsClient: replica, countsRefreshMs: config.countsReplicaSyncMs } : {}),
      mail,
      sms,
      staffEmail: config.staffEmail,
      updates: { smsReplyStop: smsRepliesReachUs(config) },
      publicBaseUrl: config.publicBaseUrl ?? (() => apiUrl),
      // A receiver on this machine or its network is how the tests and a developer try webhooks; in
      // production it would let a webhooks:write token make the server reach its own network.
      webhooks: { publicOnly: config.nodeEnv === 'production' },
      ...options.app,
      db,
      logger,
      config: {
        ...keys,
        allowedOrigins,
        countsMaxAge: config.countsMaxAge,
        adminToken: config.adminToken,
        altcha: { maxNumber: config.altchaMaxNumber },
        rateLimits: {
          trustProxy: config.trustProxy,
          // The demo, the end-to-end tests and the benchmark sign many times from 127.0.0.1. In production a
          // loopback peer means a proxy without TRUST_PROXY, and then every signer shares one address: that
          // must show up as suspects (and a warning), not be silently exempt.
          exemptLoopback: config.nodeEnv !== 'production',
          hardPerMinute: config.rateLimits.hardPerMinute || null,
          phoneBlocks: config.rateLimits.phoneBlocks,
          minFillMs: config.rateLimits.minFillMs,
          soft: {
            ipBurst: config.rateLimits.ipPerMinute || null,
            ipWindow: config.rateLimits.ipPer5Minutes || null,
            domainBurst: config.rateLimits.domainPerMinute || null,
            domainWindow: config.rateLimits.domainPer5Minutes || null,
          },
        },
      },
    });
    const { server, port } = await listen(api.app.fetch, host, config.port);
    servers.push(server);
    apiPort = port;
    apiUrl = `http://${urlHost}:${port}`;
    let demoResponseUrl: string | undefined;
    let demoStaff: DemoStaffSignIn | undefined;
    if (seed) {
      const token = await demoResponseLink(db, DEMO_CAMPAIGN.slug, Date.now());
      if (token) demoResponseUrl = `${(config.publicBaseUrl ?? apiUrl).replace(/\/$/, '')}/r/${token}`;
      demoStaff = await ensureDemoStaff(db, new FieldCrypto(keys));
    }
    const smsCallbackUrl =
      config.smsProvider === 'africastalking' ? deliveryReportUrl(config.publicBaseUrl ?? apiUrl, keys.blindIndexKey) : undefined;
    api.outbox.start();
    api.updates.start();
    const prune = () =>
      Promise.all([pruneIdempotencyKeys(db, IDEMPOTENCY_RETENTION_MS), api.services.altcha.prune(), pruneCodeAttempts(db), pruneSigningAttempts(db)]).catch(
        (error: unknown) => logger.warn('pruning idempotency records, spent challenges, code tries or signing attempts failed', { error: (error as Error).name }),
      );
    void prune();
    const pruneTimer = setInterval(() => void prune(), 60 * 60 * 1000);
    pruneTimer.unref();
    // Retention, daily (and now): campaigns past their retention period lose their signers' personal data.
    const retain = () =>
      runRetention(db, { now: Date.now() })
        .then((report) => {
          for (const c of report.anonymised) logger.info('deleted personal data past its retention period', { campaign: c.slug, signatures: c.signatures });
        })
        .catch((error: unknown) => logger.warn('retention run failed', { error: (error as Error).name }));
    void retain();
    const retentionTimer = setInterval(() => void retain(), 24 * 60 * 60 * 1000);
    retentionTimer.unref();
    // Floods: once a minute, a source or e-mail domain with ≥ 50 signatures and ≥ 30 % of a campaign's
    // signatures in the last 10 minutes raises a warning (keyed-hash prefix, never an address) and, once per
    // episode, a `moderation.flood` webhook event and an e-mail to STAFF_EMAIL (moderation/flood-alerts.ts).
    const watchFloods = () =>
      checkFloods(db, { ...DEFAULT_FLOOD_THRESHOLDS, now: Date.now(), emailStaff: Boolean(config.staffEmail), logger }).then(
        (check) => {
          for (const trend of check.trending) {
            logger.warn('trending source', {
              campaign: trend.campaignId,
              kind: trend.kind,
              hash: trend.hashPrefix,
              signatures: trend.signatures,
              share: Math.round(trend.share * 100) / 100,
            });
          }
          if (check.started.length) api.outbox.notify();
        },
        (error: unknown) => logger.warn('flood check failed', { error: (error as Error).name }),
      );
    const trendTimer = setInterval(() => void watchFloods(), 60_000);
    trendTimer.unref();
    // Pledge reminders (src/pledges/reminders.ts), every 10 minutes (and now): each is queued once, whichever node runs it.
    const remind = () =>
      runPledgeReminders(db.client, { now: Date.now() }).then(
        (run) => {
          if (!run.queued) return;
          api.updates.outbox.notify();
          logger.info('pledge reminders queued', { messages: run.queued });
        },
        (error: unknown) => logger.warn('pledge reminders failed', { error: (error as Error).name }),
      );
    void remind();
    const reminderTimer = setInterval(() => void remind(), 10 * 60_000);
    reminderTimer.unref();
    // Reconciliation of the counts with the signatures (RECONCILE_EVERY_MINUTES): reports drift, never fixes it.
    let reconcileTimer: ReturnType<typeof setInterval> | undefined;
    if (config.reconcileEveryMinutes > 0) {
      const reconcile = () =>
        runReconciliation(db, { clock: Date.now, logger }).catch((error: unknown) => logger.warn('reconciliation failed', { error: (error as Error).name }));
      void reconcile();
      reconcileTimer = setInterval(() => void reconcile(), config.reconcileEveryMinutes * 60_000);
      reconcileTimer.unref();
    }
    if (config.nodeEnv === 'production' && allowedOrigins.size === 0) {
      logger.warn('ALLOWED_ORIGINS is empty: no partner site can submit signatures from a browser');
    }

    let closing: Promise<void> | undefined;
    return {
      apiUrl,
      partnerUrl,
      generatedKeysFile: keys.generatedFile,
      seeded,
      demoResponseUrl,
      demoStaff,
      smsCallbackUrl,
      allowedOrigins: [...allowedOrigins],
      db,
      api,
      close() {
        closing ??= (async () => {
          clearInterval(pruneTimer);
          clearInterval(retentionTimer);
          clearInterval(trendTimer);
          clearInterval(reminderTimer);
          clearInterval(reconcileTimer);
          markStopping(api.services);
          // Requests already running finish (they wait for their commit); then the writer flushes
          // whatever is left and the database closes.
          await Promise.all(servers.map((server) => server.stop(STOP_GRACE_MS)));
          await api.close();
          replica?.close();
          mail?.close?.();
          db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop(STOP_GRACE_MS)));
    replica?.close();
    db.close();
    throw error;
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number) {
  return new Promise<{ server: StoppableServer; port: number }>((resolve, reject) => {
    const server: ServerType = serve({ fetch, hostname, port }, (info: AddressInfo) => resolve({ server: wrapped, port: info.port }));
    const wrapped = stoppable(server as Server);
    server.once('error', reject);
  });
}

export interface StoppableServer {
  readonly server: Server;
  /**
   * Stops taking requests and resolves once every connection is closed: running requests finish, their
   * responses say `Connection: close`, idle keep-alive connections are closed at once and busy ones as soon
   * as their response is out. After `graceMs`, whatever is still open is cut.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * Node's `server.close()` alone stops listening but keeps serving every request that arrives on an open
 * keep-alive connection, and a client under load never lets its connection go idle: the stop then lasts
 * until the last client gives up (issue 15 measured the full 10 s, 175,230 requests accepted after the
 * signal). So every response written after the stop began carries `Connection: close` (Node then ends the
 * connection after it), and a connection is closed the moment it has nothing in flight.
 */
export function stoppable(server: Server): StoppableServer {
  let stopping: Promise<void> | undefined;
  const running = new Set<ServerResponse>();
  const closeIdle = () => server.closeIdleConnections();
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (stopping) response.setHeader('Connection', 'close');
    running.add(response);
    response.once('close', () => {
      running.delete(response);
      // The connection it used may now be idle; one still receiving a pipelined request is left alone.
      if (stopping) setImmediate(closeIdle);
    });
  });
  return {
    server,
    stop(graceMs) {
      stopping ??= new Promise<void>((resolve) => {
        for (const response of running) if (!response.headersSent) response.setHeader('Connection', 'close');
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        closeIdle();
      });
      return stopping;
    },
  };
}

/** The host to print in URLs: a wildcard address is reached on the loopback one. */
function urlHostFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Names a browser may use for this machine's partner site, each giving a distinct Origin. */
function hostNamesFor(host: string): string[] {
  const names = new Set([urlHostFor(host)]);
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'];
  if (loopback.includes(host) || host === '0.0.0.0' || host === '::' || host === '') {
    names.add('localhost');
    names.add('127.0.0.1');
  }
  if (host === '0.0.0.0' || host === '::') {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) {
        if (address.family === 'IPv4') names.add(address.address);
        else if (host === '::') names.add(`[${address.address}]`);
      }
    }
  }
  return [...names];
}
