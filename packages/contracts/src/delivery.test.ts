import { describe, expect, it } from 'vitest';
import { AccountabilityTargetSchema, DeliverySchema, MilestoneSchema } from './schemas.ts';

const delivery = { deliveredOn: '2026-12-06', channel: 'in_person', signatures: 12_345, manifestSha256: 'ab'.repeat(32), recordedAt: '2026-12-06T10:00:00.000Z' };

describe('delivery on the record', () => {
  it('takes a delivery with a lower-case hex SHA-256 and a known channel only', () => {
    expect(DeliverySchema.parse(delivery)).toEqual(delivery);
    for (const bad of [
      { manifestSha256: 'AB'.repeat(32) },
      { manifestSha256: 'ab'.repeat(31) },
      { channel: 'pigeon' },
      { signatures: -1 },
      { deliveredOn: '6 December 2026' },
    ]) {
      expect(DeliverySchema.safeParse({ ...delivery, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('keeps a target and a milestone of an older server valid (no deliveries, contact flag or step)', () => {
    const target = {
      id: 't',
      name: 'IPOA',
      office: null,
      institution: null,
      nameSw: null,
      officeSw: null,
      institutionSw: null,
      jurisdiction: { level: 'national', county: null, ocdId: null },
      publicContact: null,
      askedOn: null,
      dueOn: null,
      overdue: false,
      daysOverdue: null,
      positions: [],
    };
    expect(AccountabilityTargetSchema.parse(target)).toEqual(target);
    expect(AccountabilityTargetSchema.parse({ ...target, deliveries: [delivery], contactAvailable: false }).deliveries).toEqual([delivery]);
    const milestone = { threshold: 1000, label: { en: 'a', sw: 'b' }, reachedAt: null };
    expect(MilestoneSchema.parse(milestone)).toEqual(milestone);
    expect(MilestoneSchema.safeParse({ ...milestone, step: { targetId: 't', targetName: 'IPOA', step: 'walk', due: true } }).success).toBe(false);
  });
});
