/**
 * Canned `GET /v1/campaigns/:slug/accountability` payloads for the `<imlu-accountability>` tests: four duty
 * bearers with every position status between them, two overdue (by 12 days and by 1 day), history entries
 * self-reported and recorded by the campaign, safe and unsafe evidence links, one milestone reached and
 * one not. Not part of the bundle.
 */
import type { Accountability, AccountabilityTarget, PositionEntry } from '@imlu/contracts';

const entry = (status: PositionEntry['status'], recordedAt: string, extra: Partial<PositionEntry> = {}): PositionEntry => ({
  status,
  statement: null,
  statementSw: null,
  evidenceUrl: null,
  recordedAt,
  recordedBy: 'campaign',
  ...extra,
});

const ASKED = entry('asked', '2025-01-10T07:00:00.000Z');

function target(overrides: Partial<AccountabilityTarget> & Pick<AccountabilityTarget, 'id' | 'name'>): AccountabilityTarget {
  return {
    office: null,
    institution: null,
    nameSw: null,
    officeSw: null,
    institutionSw: null,
    jurisdiction: { level: 'national', county: null, ocdId: null },
    publicContact: null,
    askedOn: '2025-01-10',
    dueOn: '2025-02-10',
    overdue: false,
    daysOverdue: null,
    positions: [],
    ...overrides,
  };
}

export function accountabilityTargets(): AccountabilityTarget[] {
  return [
    target({
      id: 't1',
      name: 'Wanjiku Mwangi',
      office: 'DPP',
      institution: 'ODPP',
      positions: [
        {
          demandId: 'd1',
          status: 'committed',
          since: '2025-02-01T09:00:00.000Z',
          history: [
            ASKED,
            entry('committed', '2025-02-01T09:00:00.000Z', {
              statement: 'Tutapitia kila faili.',
              evidenceUrl: 'https://example.org/barua.pdf',
              recordedBy: 'duty_bearer',
            }),
          ],
        },
        {
          demandId: 'd2',
          status: 'delivered',
          since: '2025-03-01T09:00:00.000Z',
          history: [ASKED, entry('delivered', '2025-03-01T09:00:00.000Z', { evidenceUrl: 'http://example.org/ripoti' })],
        },
      ],
    }),
    target({
      id: 't2',
      name: 'Amina Otieno',
      institution: 'Kaunti ya Jiji la Nairobi',
      jurisdiction: { level: 'county', county: 'KE-30', ocdId: null },
      overdue: true,
      daysOverdue: 12,
      positions: [
        { demandId: 'd1', status: 'asked', since: ASKED.recordedAt, history: [{ ...ASKED, evidenceUrl: 'javascript:alert(1)' }] },
        {
          demandId: 'd2',
          status: 'declined',
          since: '2025-01-20T09:00:00.000Z',
          history: [ASKED, entry('declined', '2025-01-20T09:00:00.000Z', { evidenceUrl: 'data:text/html,<b>x</b>' })],
        },
      ],
    }),
    target({
      id: 't3',
      name: 'Kiprono Chebet',
      office: 'IG',
      institution: 'NPS',
      overdue: true,
      daysOverdue: 1,
      positions: [
        { demandId: 'd1', status: 'broken', since: '2025-04-01T09:00:00.000Z', history: [ASKED, entry('broken', '2025-04-01T09:00:00.000Z')] },
        { demandId: 'd2', status: 'acknowledged', since: '2025-01-15T09:00:00.000Z', history: [ASKED, entry('acknowledged', '2025-01-15T09:00:00.000Z')] },
      ],
    }),
    target({
      id: 't4',
      name: 'Lokwang Ekai',
      jurisdiction: { level: 'county', county: 'KE-47', ocdId: null },
      askedOn: null,
      dueOn: null,
      positions: [
        { demandId: 'd1', status: 'not_asked', since: null, history: [] },
        { demandId: 'd2', status: 'not_asked', since: null, history: [] },
      ],
    }),
  ];
}

export function accountabilityFixture(overrides: Partial<Accountability> = {}): Accountability {
  return {
    campaign: 'justice-for-survivors',
    title: { en: 'Justice for survivors', sw: 'Haki kwa manusura' },
    demands: [
      { id: 'd1', position: 1, text: { en: 'Investigate every case', sw: 'Chunguza kila kesi' } },
      { id: 'd2', position: 2, text: { en: 'Protect witnesses', sw: 'Walinde mashahidi' } },
    ],
    targets: accountabilityTargets(),
    summary: { targets: 4, asked: 3, responded: 2, committed: 1, delivered: 1, declined: 1, broken: 1, overdue: 2 },
    signatures: 1234,
    milestones: [
      { threshold: 1000, label: { en: 'Handed to the DPP', sw: 'Yamekabidhiwa kwa DPP' }, reachedAt: '2025-03-12T08:00:00.000Z' },
      { threshold: 10_000, label: { en: 'Heard in Parliament', sw: 'Yasikilizwe Bungeni' }, reachedAt: null },
    ],
    updatedAt: '2025-04-01T09:00:00.000Z',
    ...overrides,
  };
}
