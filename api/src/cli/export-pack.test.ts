/**
 * `imlu export create` for a delivery pack: `--addressee` (a target from the board, named on the cover),
 * `--pending exclude|mark`, and the sender from the campaign file, on a real libSQL file; the PDF is read
 * back with pdftotext (poppler-utils, installed by .ci/run). CSV keeps its default: pending rows listed
 * with their status.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { targets } from '../db/schema.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };

const imlu = (...args: string[]) => runImlu(env, ...args);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-pack-test-'));
  env = cliEnv(dir, keys);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAMPAIGN = `slug: pack-campaign
status: open
verification: email
consentVersion: v1
title: { en: Justice now, sw: Haki sasa }
summary: { en: Summary, sw: Muhtasari }
body: { en: We demand justice., sw: Tunadai haki. }
senderOrganisation: Independent Medico-Legal Unit
senderContact: "info@imlu.example, P.O. Box 0000, Nairobi"
`;

/** The export file of a pack folder (not its manifest, signature or SHA256SUMS). */
function exported(out: string): string {
  const [file] = readdirSync(out).filter((name) => /\.(pdf|csv|json|xlsx)$/.test(name) && name !== 'manifest.json' && name !== 'signature.json');
  return path.join(out, file!);
}

function pdfText(file: string): string {
  const result = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (result.error) throw new Error(`pdftotext is needed (Debian's poppler-utils, installed by .ci/run): ${result.error.message}`);
  return result.stdout;
}

describe('imlu export create: the delivery pack', () => {
  it('addressee and sender on the cover, pending excluded by default or marked, bad combinations refused (2)', async () => {
    expect((await imlu('migrate')).code).toBe(0);
    writeFileSync(path.join(dir, 'campaign.yaml'), CAMPAIGN);
    expect((await imlu('campaign', 'apply', path.join(dir, 'campaign.yaml'))).code).toBe(0);
    const db = await createDb(env['DATABASE_URL']!);
    const campaignId = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'pack-campaign'")).rows[0]![0]);
    expect((await db.client.execute({ sql: 'SELECT sender_organisation FROM campaigns WHERE id = ?', args: [campaignId] })).rows[0]![0]).toBe('Independent Medico-Legal Unit');
    const ipoa = randomUUID();
    await db.orm.insert(targets).values({
      id: ipoa,
      name: 'Chairperson, IPOA',
      nameSw: 'Mwenyekiti, IPOA',
      office: 'Office of the Chairperson',
      officeSw: 'Ofisi ya Mwenyekiti',
      institution: 'Independent Policing Oversight Authority',
      institutionSw: 'Mamlaka Huru ya Kusimamia Polisi',
      jurisdictionLevel: 'national',
      createdAt: 0,
      updatedAt: 0,
    });
    await insertSignatures(db.client, new FieldCrypto(keys), campaignId, [
      { name: 'Wanjirũ Kamau', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 2) },
      { name: 'አበበ ቢቂላ', county: 'KE-30', status: 'pending', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 3) },
      { name: 'Otieno Odhiambo', county: null, status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 4) },
    ]);
    db.close();

    const unknown = await imlu('export', '--campaign', 'pack-campaign', '--format', 'pdf', '--addressee', 'no-such-target', '--out', path.join(dir, 'x1'));
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('--addressee: no target with id no-such-target')]);
    expect((await imlu('export', '--campaign', 'pack-campaign', '--format', 'csv', '--addressee', ipoa)).code).toBe(2);
    expect((await imlu('export', '--campaign', 'pack-campaign', '--verified-only', '--pending', 'mark')).code).toBe(2);
    expect((await imlu('export', '--campaign', 'pack-campaign', '--pending', 'maybe')).code).toBe(2);

    const excludedDir = path.join(dir, 'excluded');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--format', 'pdf', '--addressee', ipoa, '--out', excludedDir)).code).toBe(0);
    const excluded = pdfText(exported(excludedDir));
    for (const line of ['Chairperson, IPOA', 'Independent Policing Oversight Authority', 'Independent Medico-Legal Unit', 'info@imlu.example, P.O. Box 0000, Nairobi']) expect(excluded).toContain(line);
    expect(excluded).toContain('Signatures not yet confirmed by their signer are not in this pack.');
    expect(excluded).toContain('Wanjirũ Kamau');
    expect(excluded).not.toContain('ቢቂላ');
    expect(excluded).toMatch(/Page 1 of \d/);
    const manifest = JSON.parse(readFileSync(path.join(excludedDir, 'manifest.json'), 'utf8')) as { totalRows: number; filters: { verifiedOnly: boolean } };
    expect(manifest).toMatchObject({ totalRows: 2, filters: { verifiedOnly: true } });

    const markedDir = path.join(dir, 'marked');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--format', 'pdf', '--locale', 'sw', '--addressee', ipoa, '--pending', 'mark', '--out', markedDir)).code).toBe(0);
    const marked = pdfText(exported(markedDir));
    for (const line of ['Kwa', 'Mwenyekiti, IPOA', 'Mamlaka Huru ya Kusimamia Polisi', 'Kutoka', 'Independent Medico-Legal Unit']) expect(marked).toContain(line);
    expect(marked).toMatch(/Ukurasa 1 kati ya \d/);
    const abebe = marked.split('\n').find((line) => line.includes('አበበ ቢቂላ'));
    expect(abebe).toContain('Bado haijathibitishwa');
    expect(marked.split('\n').find((line) => line.includes('Wanjirũ Kamau'))).not.toContain('Bado haijathibitishwa');

    // One pack per county: each cover names its scope.
    const splitDir = path.join(dir, 'split');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--format', 'pdf', '--split', 'county', '--out', splitDir)).code).toBe(0);
    const packs = readdirSync(splitDir)
      .filter((name) => name.endsWith('.pdf'))
      .sort()
      .map((name) => pdfText(path.join(splitDir, name)));
    expect(packs).toHaveLength(2);
    expect(packs[0]!.split('\f')[0]).toContain('Signatories in Nairobi (KE-30)');
    expect(packs[0]).not.toContain('Otieno Odhiambo');
    expect(packs[1]!.split('\f')[0]).toContain('Signatories who gave no county');
    expect(packs[1]).toContain('Otieno Odhiambo');

    // CSV as before: pending rows listed with their status unless asked to leave them out.
    const csvDir = path.join(dir, 'csv');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--out', csvDir)).code).toBe(0);
    expect(readFileSync(exported(csvDir), 'utf8')).toContain('አበበ ቢቂላ');
    const csvExcludedDir = path.join(dir, 'csv-excluded');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--pending', 'exclude', '--out', csvExcludedDir)).code).toBe(0);
    expect(readFileSync(exported(csvExcludedDir), 'utf8')).not.toContain('አበበ ቢቂላ');
  }, 120_000);
});
