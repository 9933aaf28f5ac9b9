/**
 * Issue 12's whole flow, end to end in Chromium against the real server and database, in Kiswahili on a
 * 360 px phone: a staff member made with `imlu staff add` signs in with both factors (the e-mailed link and
 * a TOTP code), creates a campaign in English and Kiswahili, adds a duty bearer and records a position with
 * evidence that then shows on the public board, reviews a simulated flood and invalidates it with the
 * counts exact afterwards, and downloads a delivery pack that verifies. Each step drives the console's own
 * views (examples/test/console-steps/), as a person would; the checks read the public API and the CLI.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, imlu, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { createCampaign } from './console-steps/campaigns.ts';
import { addDutyBearerWithPosition } from './console-steps/duty-bearers.ts';
import { downloadDeliveryPack } from './console-steps/exports.ts';
import { invalidateFlood, simulateFlood } from './console-steps/moderation.ts';
import { type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo()), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

const SLUG = 'haki-kwa-waathiriwa-wa-mateso';
const WELCOME = 'Karibu';

/** Back to the console's home from a view. */
async function home(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Rudi kwenye sehemu zako' }).click();
  await page.getByRole('heading', { level: 1, name: `${WELCOME}, ${name}` }).waitFor();
}

interface PublicCounts {
  signatures: number;
}

async function publicCounts(): Promise<number> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/counts`, { cache: 'no-store', headers: { 'Cache-Control': 'no-cache' } });
  expect(response.status).toBe(200);
  return ((await response.json()) as PublicCounts).signatures;
}

describe('the console, the whole flow (issue 12)', () => {
  it('signs in with both factors, creates a campaign in both languages, records a position on the board, invalidates a flood exactly and downloads a pack that verifies', async () => {
    const member = await addStaff(demo, 'Wairimu Njoroge', 'flow@imlu.example', 'admin');
    const { context, page, cspErrors } = await phone(browser, 'sw-KE');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.apiUrl });

    // 1. Both factors: the e-mailed link, then the code.
    await signIn(demo, page, member, 'sw');
    await axe(page, 'home');

    // 2. A campaign, in English and Kiswahili, open at once.
    await createCampaign(page, 'sw', {
      slug: SLUG,
      title: { en: 'Justice for torture survivors in Nakuru', sw: 'Haki kwa waathiriwa wa mateso Nakuru' },
      summary: { en: 'Ask the police and the prosecutor to act on the Nakuru cases.', sw: 'Waombe polisi na mwendesha mashtaka wachukue hatua kuhusu kesi za Nakuru.' },
      demands: [
        { en: 'Investigate every reported case within 90 days', sw: 'Chunguza kila kesi iliyoripotiwa ndani ya siku 90' },
        { en: 'Publish the outcome of each investigation', sw: 'Chapisha matokeo ya kila uchunguzi' },
      ],
      goal: 1000,
    });
    const campaign = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}`, { cache: 'no-store' })).json()) as {
      status: string;
      title: { en: string; sw: string };
      demands: { text: { en: string; sw: string } }[];
    };
    expect(campaign.status).toBe('open');
    expect(campaign.title).toEqual({ en: 'Justice for torture survivors in Nakuru', sw: 'Haki kwa waathiriwa wa mateso Nakuru' });
    await home(page, member.name);

    // 3. A duty bearer, asked, with a position and its evidence: on the public board.
    const evidenceUrl = 'https://www.odpp.go.ke/press/nakuru-torture-cases.pdf';
    const statement = 'Tumeagiza uchunguzi wa kesi zote za Nakuru ukamilike ndani ya siku 90.';
    const { targetId } = await addDutyBearerWithPosition(page, 'sw', {
      slug: SLUG,
      target: { name: 'Nakuru County Police Commander', nameSw: 'Kamanda wa Polisi wa Kaunti ya Nakuru', office: 'National Police Service', county: 'KE-31' },
      position: { stance: 'committed', statement, evidenceUrl },
    });
    const board = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`, { cache: 'no-store' })).json()) as {
      targets: { id: string; positions: { status: string; history: { statement: string | null; evidenceUrl: string | null }[] }[] }[];
    };
    const onBoard = board.targets.find((target) => target.id === targetId);
    expect(onBoard?.positions.map((position) => position.status)).toEqual(['committed', 'committed']); // both demands
    expect(onBoard!.positions[0]!.history).toEqual([expect.objectContaining({ statement, evidenceUrl })]);
    await home(page, member.name);

    // 4. A flood from one e-mail domain among ordinary signatures: previewed, invalidated, counts exact.
    const flood = await simulateFlood(demo, SLUG, 12);
    expect(flood.ordinaryCounted).toBe(flood.ordinary); // no verification: each counted at once
    expect(await publicCounts()).toBe(flood.ordinary + flood.flood);
    const result = await invalidateFlood(page, 'sw', { slug: SLUG, source: flood.source }, (state) => axe(page, `moderation ${state}`));
    expect(result.preview).toEqual({ affected: flood.flood, counted: flood.flood, pending: 0, suspect: 0 });
    expect(result.applied.affected).toBe(flood.flood);
    expect(result.after.counted).toBe(flood.ordinary);
    await expect.poll(publicCounts, { timeout: 10_000 }).toBe(flood.ordinary);
    await home(page, member.name);

    // 5. The delivery pack: downloaded from the console, and it verifies with the CLI. The organisation's
    // signing key is made once, by an operator at the command line (docs/exports.md); until then the console
    // says so instead of a pack.
    await imlu(demo, 'keys', 'signing', 'create');
    const pack = await downloadDeliveryPack(page, 'sw', { slug: SLUG });
    try {
      const verified = await imlu(demo, 'export', 'verify', pack);
      expect(verified).toMatch(/^OK +signature +Ed25519/m);
      // The invalidated flood is not in it: only the ordinary signatures, as the audit entry of the export says.
      expect(verified).toMatch(new RegExp(`^OK +audit +export\\.created .* ${flood.ordinary} row\\(s\\)$`, 'm'));
      await axe(page, 'pack downloaded');
    } finally {
      rmSync(dirname(pack), { recursive: true, force: true }); // it holds names
    }

    expect(cspErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
