/**
 * When the answers of a small batch may go out: no sooner than most small batches take.
 *
 * A new signature and a duplicate run the same statements (the intake trigger writes a duplicate as a decoy
 * and removes it again, src/db/sql/triggers/signature_intake_insert.sql), but not the same B-tree work: on a
 * quiet machine a duplicate alone in its transaction committed ~0.2 ms later than a new signature (p50 5.1
 * against 4.9 ms; the decoy without its outbox row made it ~0.1 ms sooner instead). A stranger who sends a
 * victim's number a thousand times, one request at a time to a quiet server, could tell the two apart
 * (`pnpm bench:alike`, docs/performance.md). How much each kind costs depends on the disk and the CPU, so no
 * decoy can be sized to match on every machine.
 *
 * So the answers of a batch of at most `SMALL_BATCH` submissions are held until the batch has taken at least
 * the `QUANTILE` of the last `WINDOW` small batches' durations, whatever it held: nearly every such answer
 * then leaves at the same moment after the batch began, new or duplicate, and only the slowest (above the
 * floor) still show their own time. Measured with the sequential probe, the Kolmogorov–Smirnov distance
 * between the two kinds went from 0.15 to 0.037–0.044 (under the 0.061 that two samples of one
 * distribution exceed one time in twenty); with the 95th percentile as the floor it stayed at 0.066. A lone
 * signer waits some 3–4 ms more. Under load, batches are larger: they mix many signers' submissions, which
 * already hides any one of them (0.007–0.012), and are not held, so throughput does not change.
 *
 * The outbox worker is woken only after the answers have gone out (`onAnswered`, ./writer.ts), so its work
 * for a message a new signature queued neither delays nor shapes them.
 */

/** Batches of at most this many submissions are held to the floor. */
export const SMALL_BATCH = 4;
/** How many recent small batches the floor is taken from. */
const WINDOW = 128;
/** The floor: this quantile of their durations. */
const QUANTILE = 0.99;
/** Before this many samples, the floor is the slowest seen so far. */
const MIN_SAMPLES = 16;
/** A floor never above this (a disk that stalls for a while must not hold every answer as long). */
const MAX_FLOOR_MS = 100;

export class AnswerFloor {
  readonly #durations: number[] = [];
  #next = 0;

  /** The floor now, in ms (0 until a small batch has been seen). */
  get floorMs(): number {
    const samples = this.#durations;
    if (!samples.length) return 0;
    const sorted = [...samples].sort((a, b) => a - b);
    const index = samples.length < MIN_SAMPLES ? sorted.length - 1 : Math.ceil(QUANTILE * sorted.length) - 1;
    return Math.min(MAX_FLOOR_MS, sorted[index]!);
  }

  /**
   * A batch of `size` submissions took `elapsedMs` from its start to its commit: how much longer its answers
   * wait (0 for a large batch, or one already past the floor). The floor is taken before this batch is added
   * to it.
   */
  hold(size: number, elapsedMs: number): number {
    if (size > SMALL_BATCH) return 0;
    const wait = Math.max(0, this.floorMs - elapsedMs);
    if (this.#durations.length < WINDOW) this.#durations.push(elapsedMs);
    else this.#durations[this.#next] = elapsedMs;
    this.#next = (this.#next + 1) % WINDOW;
    return wait;
  }
}
