/**
 * Random bytes for IVs and ids, drawn from a pooled CSPRNG buffer. Four IVs and an id per signature made
 * `randomFillSync` one of the larger costs of a signature (one syscall-backed call each); one call now
 * fills 4 KB. Bytes are handed out once and never reused: a new pool is allocated rather than refilled,
 * so slices already handed out keep their values.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytesPooled(size: number): Buffer {
  if (size > POOL_BYTES) return randomFillSync(Buffer.alloc(size));
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
