/**
 * @imlu/api — the HTTP API of the IMLU Campaign SDK. Run it with `pnpm --filter @imlu/api start`; import
 * these to build the app in tests, embed the server in another process, or benchmark the writer.
 */
export { createApp, API_VERSION, type Api, type AppConfig, type CreateAppOptions } from './app.ts';
export { startServer, IDEMPOTENCY_RETENTION_MS, type RunningServer, type StartServerOptions } from './server.ts';
export { parseEnv, ConfigError, REPO_ROOT, type EnvConfig } from './config/env.ts';
export { resolveKeys, type Keys, type ResolvedKeys } from './config/keys.ts';
export { createDb, migrateDb, checkReadiness, readPragmas, pruneIdempotencyKeys, type Db } from './db/client.ts';
export { createCampaign, type NewCampaign } from './campaigns/create.ts';
export { DEMO_CAMPAIGN, seedDemoIfEmpty } from './campaigns/demo-seed.ts';
export { FieldCrypto } from './signing/crypto.ts';
export { canonicalEmail, normalisePhone } from './signing/normalise.ts';
export { prepareSubmission, signResponseFor } from './signing/prepare.ts';
export { SignatureWriter, WriterUnavailableError, type SubmitResult, type Submission, type WriterStats } from './signing/writer.ts';
export { measureWriterThroughput, type ThroughputResult } from './signing/throughput.ts';
export { createLogger, type Logger } from './logging/logger.ts';
