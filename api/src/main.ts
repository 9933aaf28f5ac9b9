/**
 * `pnpm --filter @imlu/api start`: the API plus the demo partner site.
 *
 * Parses the environment (an invalid variable stops here, named), migrates, seeds the demo campaign into
 * an empty database, and serves until Ctrl-C / SIGTERM, which stops taking requests at once (open
 * keep-alive connections are told `Connection: close`), lets running ones finish, writes every pending
 * signature, closes the database and exits 0. A second signal does not cut that short.
 */
import { ConfigError, parseEnv, type NodeEnv } from './config/env.ts';
import { createLogger } from './logging/logger.ts';
import { startServer, STOP_GRACE_MS } from './server.ts';

/** The longest a stop may take: running requests get STOP_GRACE_MS, the writer's last flush the rest. */
const STOP_DEADLINE_MS = STOP_GRACE_MS + 3_000;

/** Said at every start, so that nobody runs the demo's mode on a deployment without being told. */
const MODE_LINES: Record<NodeEnv, string> = {
  production: 'production (NODE_ENV=production)',
  development:
    'DEVELOPMENT: demo data and partner site, loopback exempt from rate limits, messages printed here ' +
    '(unless SMTP_URL / SMS_PROVIDER are set). ' +
    'For a deployment set NODE_ENV=production.',
  test: 'TEST: like development (demo data, loopback exempt from rate limits, messages printed). Never for a deployment.',
};

async function main(): Promise<void> {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    // A ConfigError names variables and never quotes a value. Any other error here could (Node's own
    // messages quote the start of a string argument), and the environment holds keys: name it only.
    console.error(error instanceof ConfigError ? error.message : `Invalid configuration: could not read the environment (${(error as Error).name})`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);

  let server;
  try {
    server = await startServer({ config, logger });
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`Could not start: ${(error as Error).message}`);
    process.exit(1);
  }

  // These lines are the demo's user interface, so they print whatever LOG_LEVEL says.
  console.info('');
  console.info(`  IMLU Campaign SDK API   ${server.apiUrl}`);
  if (server.partnerUrl) console.info(`  Demo partner site       ${server.partnerUrl}   ← open this in a browser`);
  if (server.partnerUrl) console.info(`  Demo pledge page        ${server.partnerUrl}/pledge/   (a pledge campaign: actions, reminders, promises kept)`);
  console.info(`  OpenAPI document        ${server.apiUrl}/openapi.json`);
  console.info(`  Campaigner console      ${server.apiUrl}/console   (first account: pnpm imlu staff add --name … --email … --role admin)`);
  if (server.demoStaff) {
    // Development only (never seeded in production): enough to sign in to the console from this terminal.
    console.info(`  Demo staff sign-in      ${server.demoStaff.email}   (the link is printed here; development only)`);
    console.info(`  Demo staff TOTP secret  ${server.demoStaff.secret}   (an authenticator app, or: oathtool --totp -b ${server.demoStaff.secret})`);
  }
  if (config.nodeEnv !== 'production') {
    console.info(`  Accountability board    ${server.apiUrl}/v1/campaigns/justice-for-survivors/accountability`);
  }
  // Development only (never set in production): a duty bearer's response page to try, valid 7 days.
  if (server.demoResponseUrl) console.info(`  Demo response link      ${server.demoResponseUrl}   (as Nairobi City County; development only)`);
  // A secret (the URL is the credential): printed here for the operator, never written to the request log.
  if (server.smsCallbackUrl) {
    console.info(`  SMS delivery reports    ${server.smsCallbackUrl}   (Africa's Talking dashboard: SMS → SMS Callback URLs → Delivery Reports)`);
  }
  console.info(`  Mode                    ${MODE_LINES[config.nodeEnv]}`);
  console.info(`  Database                ${config.databaseUrl.startsWith('file:') ? config.databaseUrl : '(remote libSQL)'}`);
  if (server.generatedKeysFile) {
    console.info(`  Keys                    generated into ${server.generatedKeysFile} (mode 0600). Keep it; never commit it.`);
  }
  console.info('');

  // One stop, however many signals: a second Ctrl-C or SIGTERM (an impatient operator, an orchestrator
  // that signals every process of the group) must not skip writing the signatures still in flight. The
  // stop itself is bounded (STOP_GRACE_MS for running requests, then the writer's flush), and a watchdog
  // makes sure the process ends even if the database hangs: nothing unanswered was acknowledged.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('already stopping: finishing running requests and writing pending signatures first', { signal });
      return;
    }
    stopping = true;
    logger.info('shutting down: no new requests, finishing running ones, writing pending signatures', { signal });
    const watchdog = setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting (requests not yet answered were not acknowledged)', { afterMs: STOP_DEADLINE_MS });
      process.exit(1);
    }, STOP_DEADLINE_MS);
    watchdog.unref();
    server.close().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
