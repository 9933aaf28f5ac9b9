import { describe, expect, it } from 'vitest';
import { replicaSyncUrl } from './replica.ts';

// The replica itself runs against a real sqld server in test/sqld.test.ts.
describe('replicaSyncUrl', () => {
  it('gives the replica the HTTP(S) address of DATABASE_URL, without its query', () => {
    expect(replicaSyncUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(replicaSyncUrl('https://db.example.org/')).toBe('https://db.example.org');
    expect(replicaSyncUrl('ws://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(replicaSyncUrl('wss://campaigns.example.turso.io')).toBe('https://campaigns.example.turso.io');
    expect(replicaSyncUrl('libsql://campaigns.example.turso.io')).toBe('https://campaigns.example.turso.io');
    expect(replicaSyncUrl('libsql://127.0.0.1:8080?tls=0')).toBe('http://127.0.0.1:8080');
    expect(replicaSyncUrl('libsql://campaigns.example.turso.io?authToken=secret')).toBe('https://campaigns.example.turso.io');
  });
});
