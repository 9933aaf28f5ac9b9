/**
 * An accountability record for the end-to-end test of examples/accountability, typed against the public
 * contract so that it breaks when the contract changes. The API endpoint (issue 5) is being built; until
 * it serves real records, the test serves this one.
 */
import type { Accountability, PositionEntry } from '@imlu/contracts';

const asked: PositionEntry = {
  status: 'asked',
  statement: null,
  statementSw: null,
  evidenceUrl: null,
  recordedAt: '2025-01-10T07:00:00.000Z',
  recordedBy: 'campaign',
};

export const accountabilityRecord: Accountability = {
  campaign: 'justice-for-survivors',
  title: { en: 'Justice for survivors', sw: 'Haki kwa manusura' },
  demands: [
    { id: 'd1', position: 1, text: { en: 'Investigate every case', sw: 'Chunguza kila kesi' } },
    { id: 'd2', position: 2, text: { en: 'Protect witnesses', sw: 'Walinde mashahidi' } },
  ],
  targets: [
    {
      id: 't1',
      name: 'Wanjiku Mwangi',
      office: 'Director of Public Prosecutions',
      institution: 'ODPP',
      nameSw: null,
      officeSw: null,
      institutionSw: null,
      jurisdiction: { level: 'national', county: null, ocdId: null },
      publicContact: null,
      askedOn: '2025-01-10',
      dueOn: '2025-02-10',
      overdue: false,
      daysOverdue: null,
      positions: [
        {
          demandId: 'd1',
          status: 'committed',
          since: '2025-02-01T09:00:00.000Z',
          history: [
            asked,
            {
              status: 'committed',
              statement: 'Tutapitia kila faili.',
              statementSw: null,
              evidenceUrl: 'https://example.org/barua.pdf',
              recordedAt: '2025-02-01T09:00:00.000Z',
              recordedBy: 'duty_bearer',
            },
          ],
        },
        { demandId: 'd2', status: 'asked', since: asked.recordedAt, history: [asked] },
      ],
    },
    {
      id: 't2',
      name: 'Amina Otieno',
      office: 'Governor',
      institution: null,
      nameSw: null,
      officeSw: null,
      institutionSw: null,
      jurisdiction: { level: 'county', county: 'KE-30', ocdId: 'ocd-division/country:ke/county:nairobi' },
      publicContact: null,
      askedOn: '2025-01-10',
      dueOn: '2025-02-10',
      overdue: true,
      daysOverdue: 12,
      positions: [
        {
          demandId: 'd1',
          status: 'asked',
          since: asked.recordedAt,
          history: [{ ...asked, evidenceUrl: 'javascript:alert(document.cookie)' }],
        },
        { demandId: 'd2', status: 'asked', since: asked.recordedAt, history: [asked] },
      ],
    },
    {
      id: 't3',
      name: 'Kiprono Chebet',
      office: 'Inspector General of Police',
      institution: 'National Police Service',
      nameSw: null,
      officeSw: null,
      institutionSw: null,
      jurisdiction: { level: 'national', county: null, ocdId: null },
      publicContact: null,
      askedOn: '2025-01-10',
      dueOn: '2025-02-10',
      overdue: false,
      daysOverdue: null,
      positions: [
        { demandId: 'd1', status: 'delivered', since: '2025-03-01T09:00:00.000Z', history: [asked, { ...asked, status: 'delivered', recordedAt: '2025-03-01T09:00:00.000Z' }] },
        { demandId: 'd2', status: 'declined', since: '2025-01-20T09:00:00.000Z', history: [asked, { ...asked, status: 'declined', recordedAt: '2025-01-20T09:00:00.000Z' }] },
      ],
    },
  ],
  summary: { targets: 3, asked: 3, responded: 2, committed: 2, delivered: 1, declined: 1, broken: 0, overdue: 1 },
  signatures: 1234,
  milestones: [
    { threshold: 1000, label: { en: 'Handed to the DPP', sw: 'Yamekabidhiwa kwa DPP' }, reachedAt: '2025-03-12T08:00:00.000Z' },
    { threshold: 10_000, label: { en: 'Heard in Parliament', sw: 'Yasikilizwe Bungeni' }, reachedAt: null },
  ],
  updatedAt: '2025-03-12T08:00:00.000Z',
};
