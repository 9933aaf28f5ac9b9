/**
 * `imlu deliver`: records that an export folder (a delivery pack) was handed to a duty bearer, so the
 * public accountability board shows it: "12,345 signatures delivered to IPOA on 6 December 2026 (in
 * person) · pack sha256 ab12…". The count is the manifest's `totalRows` and the hash is the SHA-256 of
 * `manifest.json`'s bytes — the export's own audit subject `manifest:<hex>`. The pack is verified against
 * its manifest first: a pack changed since it was exported is not recorded as delivered.
 * The same as `POST /admin/campaigns/:slug/deliveries` (src/accountability/deliveries.ts).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '@imlu/contracts';
import { Option, type Command } from 'commander';
import { and, eq, sql } from 'drizzle-orm';
import { nairobiDate } from '../accountability/dates.ts';
import { auditLog, targets } from '../db/schema.ts';
import { ProblemError } from '../http/problem.ts';
import { requireCampaign, RuntimeError, UsageError, type Runtime } from './runtime.ts';

interface DeliverCommandContext {
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  withRuntime: <T>(fn: (runtime: Runtime) => Promise<T>) => Promise<T>;
  json: (value: unknown) => void;
}

interface DeliverOptions {
  pack: string;
  to: string;
  campaign?: string;
  on?: string;
  channel: DeliveryChannel;
  email?: boolean;
  due?: string;
  json?: boolean;
}

/** What a delivery needs from a pack folder: its campaign, count, and the hash of its manifest. */
export async function readPack(dir: string): Promise<{ slug: string; totalRows: number; manifestSha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, 'manifest.json'));
  } catch {
    throw new RuntimeError(`${dir}: no manifest.json here (give the folder \`imlu export\` wrote)`);
  }
  let manifest: { campaign?: { slug?: unknown }; totalRows?: unknown };
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as typeof manifest;
  } catch {
    throw new RuntimeError(`${dir}: manifest.json is not JSON`);
  }
  const slug = manifest.campaign?.slug;
  const totalRows = manifest.totalRows;
  if (typeof slug !== 'string' || typeof totalRows !== 'number' || !Number.isInteger(totalRows) || totalRows < 0) {
    throw new RuntimeError(`${dir}: manifest.json has no campaign slug or row count`);
  }
  return { slug, totalRows, manifestSha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A target by id, or by its exact name (any case) when that names one. */
async function findTargetId(runtime: Runtime, value: string): Promise<string> {
  const byId = await runtime.db.orm.select({ id: targets.id }).from(targets).where(eq(targets.id, value)).limit(1);
  if (byId[0]) return byId[0].id;
  const byName = await runtime.db.orm
    .select({ id: targets.id })
    .from(targets)
    .where(sql`lower(${targets.name}) = lower(${value})`)
    .limit(2);
  if (byName.length === 1) return byName[0]!.id;
  if (byName.length > 1) throw new UsageError(`--to: several targets are named "${value}"; give the target id`);
  throw new UsageError(`--to: no target with the id or name "${value}" (see GET /admin/targets)`);
}

const CHANNEL_WORDS: Record<DeliveryChannel, string> = {
  in_person: 'in person',
  email: 'by e-mail',
  post: 'by post',
  courier: 'by courier',
  other: 'by another channel',
};

export function addDeliverCommand(program: Command, { io, withRuntime, json }: DeliverCommandContext): void {
  program
    .command('deliver')
    .description("record that a pack was delivered to a duty bearer: it shows in the target's public history with its count and manifest hash")
    .requiredOption('--pack <dir>', 'the export folder that was delivered (its manifest.json gives the campaign, count and hash)')
    .requiredOption('--to <target>', 'the duty bearer: target id, or its exact name')
    .option('--campaign <slug>', "the campaign (default: the manifest's; must match it)")
    .option('--on <date>', 'the day it was delivered, YYYY-MM-DD (default: today in Nairobi)')
    .addOption(new Option('--channel <channel>', 'how it was delivered').choices([...DELIVERY_CHANNELS]).default('in_person'))
    .option('--email', "also e-mail the target's contact the cover text and a response link (sent by the server's outbox)")
    .option('--due <date>', 'when this is the first ask of the target: the response-due date, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action((opts: DeliverOptions) =>
      withRuntime(async (runtime) => {
        const { isCalendarDate } = await import('../accountability/dates.ts');
        for (const [value, option] of [
          [opts.on, '--on'],
          [opts.due, '--due'],
        ] as const) {
          if (value !== undefined && !isCalendarDate(value)) throw new UsageError(`${option}: "${value}" is not a date (YYYY-MM-DD)`);
        }
        const pack = await readPack(opts.pack);
        if (opts.campaign !== undefined && opts.campaign !== pack.slug) {
          throw new UsageError(`--campaign ${opts.campaign}: the pack is of campaign "${pack.slug}"`);
        }
        const { verifyManifest } = await import('../exports/manifest.ts');
        const verified = await verifyManifest(opts.pack);
        if (!verified.ok) {
          io.stderr.write(`${verified.problems.map((p) => `FAILED ${p}`).join('\n')}\n`);
          throw new RuntimeError(`${opts.pack}: the pack does not match its manifest; not recorded`);
        }
        const campaign = await requireCampaign(runtime, pack.slug);
        const targetId = await findTargetId(runtime, opts.to);
        const exported = await runtime.db.orm
          .select({ id: auditLog.id })
          .from(auditLog)
          .where(and(eq(auditLog.action, 'export.created'), eq(auditLog.subject, `manifest:${pack.manifestSha256}`)))
          .limit(1);
        if (!exported.length) io.stderr.write('note: no export in this database wrote this manifest (an export from another copy of the data?)\n');

        const { recordDelivery } = await import('../accountability/deliveries.ts');
        const now = Date.now();
        let delivery;
        try {
          delivery = await recordDelivery(
            runtime.db,
            runtime.crypto,
            campaign,
            {
              targetId,
              deliveredOn: opts.on ?? nairobiDate(now),
              channel: opts.channel,
              signatures: pack.totalRows,
              manifestSha256: pack.manifestSha256,
              email: opts.email === true,
              dueOn: opts.due ?? null,
            },
            { actor: runtime.actor, now },
          );
        } catch (error) {
          if (!(error instanceof ProblemError) || error.problem !== 'validation') throw error;
          const fields = new Set(error.errors?.map((e) => e.path));
          if (fields.has('email')) throw new UsageError('--email: the target has no e-mail address in its delivery or public contact');
          if (fields.has('deliveredOn')) throw new UsageError(`--on: ${opts.on ?? 'today'} is after today in Nairobi`);
          if (fields.has('dueOn') || fields.has('demandIds')) throw new UsageError('--due: must not be before --on, and the campaign needs demands to ask for');
          throw new UsageError(`invalid: ${[...fields].join(', ')}`);
        }
        if (opts.json) return json(delivery);
        io.stdout.write(
          `recorded: ${delivery.signatures.toLocaleString('en-KE')} signatures delivered on ${delivery.deliveredOn} (${CHANNEL_WORDS[delivery.channel]}) · ` +
            `pack sha256 ${delivery.manifestSha256}\n`,
        );
        if (delivery.askCreated) io.stdout.write('the target had not been asked: it is now asked for every demand, from this date\n');
        if (delivery.emailed) io.stdout.write("the e-mail to the target's contact is queued; the server's outbox sends it\n");
      }),
    );
}
