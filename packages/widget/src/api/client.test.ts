import { expect } from '@open-wc/testing';
import { newIdempotencyKey } from './idempotency-key.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  it('is a fresh v4 UUID each time', () => {
    const keys = Array.from({ length: 50 }, newIdempotencyKey);
    for (const key of keys) expect(key).to.match(UUID_V4);
    expect(new Set(keys).size).to.equal(50);
  });

  it('is still a v4 UUID where crypto.randomUUID is missing (a partner page on plain http)', () => {
    const inherited = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID')!;
    delete (Crypto.prototype as { randomUUID?: unknown }).randomUUID;
    try {
      expect('randomUUID' in crypto).to.equal(false);
      const keys = Array.from({ length: 200 }, newIdempotencyKey);
      for (const key of keys) expect(key).to.match(UUID_V4);
      expect(new Set(keys).size).to.equal(200);
    } finally {
      Object.defineProperty(Crypto.prototype, 'randomUUID', inherited);
    }
    expect(typeof crypto.randomUUID).to.equal('function');
  });
});
