/**
 * Time-ordered ids (UUIDv7, RFC 9562) for signatures. A random UUIDv4 primary key scatters every insert
 * across the whole index, so each commit rewrites many pages; v7 ids grow with time and keep inserts at
 * the right edge of the B-tree. The embedded timestamp reveals nothing the row's created_at does not.
 */
import { randomBytesPooled } from './random.ts';

export function uuidv7(now: number = Date.now()): string {
  const bytes = Buffer.from(randomBytesPooled(16)); // a copy: the version bits are written into it
  // 48-bit big-endian Unix time in milliseconds.
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
