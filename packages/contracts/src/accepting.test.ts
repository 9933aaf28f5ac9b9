import { describe, expect, it } from 'vitest';
import { signingWindow } from './accepting.ts';

const HOUR = 3_600_000;
const now = Date.UTC(2025, 2, 3, 9);
const open = { status: 'open', opensAt: null, closesAt: null };

describe('signingWindow', () => {
  it('is open for an open campaign without dates', () => {
    expect(signingWindow(open, now)).toBe('open');
  });

  it('is closed for a draft, a closed campaign and a status it does not know, whatever the dates', () => {
    for (const status of ['draft', 'closed', 'archived']) {
      expect(signingWindow({ ...open, status }, now), status).toBe('closed');
      expect(signingWindow({ status, opensAt: now - HOUR, closesAt: now + HOUR }, now), status).toBe('closed');
      expect(signingWindow({ status, opensAt: now + HOUR, closesAt: null }, now), status).toBe('closed');
    }
  });

  it('is not yet open before opensAt, and open from opensAt on', () => {
    expect(signingWindow({ ...open, opensAt: now + 1 }, now)).toBe('not-yet-open');
    expect(signingWindow({ ...open, opensAt: now + HOUR, closesAt: now + 2 * HOUR }, now)).toBe('not-yet-open');
    expect(signingWindow({ ...open, opensAt: now }, now)).toBe('open');
    expect(signingWindow({ ...open, opensAt: now - 1 }, now)).toBe('open');
  });

  it('is closed from closesAt on, and open just before', () => {
    expect(signingWindow({ ...open, closesAt: now }, now)).toBe('closed');
    expect(signingWindow({ ...open, closesAt: now - 1 }, now)).toBe('closed');
    expect(signingWindow({ ...open, closesAt: now + 1 }, now)).toBe('open');
    expect(signingWindow({ ...open, opensAt: now - HOUR, closesAt: now + HOUR }, now)).toBe('open');
  });

  it('treats 0 as a time (the epoch), not as "no bound"', () => {
    expect(signingWindow({ ...open, closesAt: 0 }, now)).toBe('closed');
    expect(signingWindow({ ...open, opensAt: 0 }, -1)).toBe('not-yet-open');
  });

  it('takes the API\'s stored numbers and the ISO date-times the widget receives alike', () => {
    const opensAt = Date.parse('2025-03-03T10:00:00.000Z');
    const closesAt = Date.parse('2025-04-01T00:00:00+03:00');
    for (const campaign of [
      { status: 'open', opensAt, closesAt },
      { status: 'open', opensAt: '2025-03-03T10:00:00.000Z', closesAt: '2025-04-01T00:00:00+03:00' },
      { status: 'open', opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() },
    ]) {
      expect(signingWindow(campaign, opensAt - 1)).toBe('not-yet-open');
      expect(signingWindow(campaign, opensAt)).toBe('open');
      expect(signingWindow(campaign, Date.parse('2025-03-31T20:59:59.999Z'))).toBe('open');
      expect(signingWindow(campaign, Date.parse('2025-03-31T21:00:00.000Z'))).toBe('closed');
    }
  });

  it('reads a string that is not a date as no bound (the API never sends one)', () => {
    expect(signingWindow({ ...open, opensAt: 'soon', closesAt: 'later' }, now)).toBe('open');
  });
});
