/**
 * The benchmark's CPU meter (`bench/cpu.ts`) reads what a process and its main thread used, and the report
 * turns it into the cost of an answer and the cores the goals would take (`bench/report.ts`). These check
 * the readings against a child process that burns a known amount of CPU on one thread or on two.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuMeter, processCpuSeconds } from '../bench/cpu.ts';
import { cpuSection, type Report, type SigningPhase } from '../bench/report.ts';
import type { LoadStats } from '../bench/load.ts';

const LINUX = process.platform === 'linux';

/**
 * A child that does a fixed amount of work (not a fixed time: on a busy machine a thread may wait) on its main
 * thread and, with `worker`, as much on a second thread, then says how much CPU the whole process used for it.
 */
async function burner(worker: boolean) {
  const work = `let h = require('node:crypto').createHash('sha256'); for (let i = 0; i < 1500000; i++) h.update('imlu' + i); h.digest();`;
  const script = `
    process.stdout.write('ready\\n');
    setTimeout(() => {
      const before = process.cpuUsage();
      const done = () => { const used = process.cpuUsage(before); process.stdout.write('used ' + (used.user + used.system) / 1e6 + '\\n'); process.stdin.resume(); };
      ${worker ? `const w = new (require('node:worker_threads').Worker)(${JSON.stringify(work)}, { eval: true }); w.on('exit', done);` : ''}
      ${work}
      ${worker ? '' : 'done();'}
    }, 100);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const finished = new Promise<number>((resolve) => child.stdout!.on('data', () => {
    const match = /used ([\d.]+)/.exec(output);
    if (match) resolve(Number(match[1]));
  }));
  return { child, finished };
}

describe.runIf(LINUX)('the CPU meter', () => {
  it("reads a process's CPU over all its threads, and its main thread's apart", async () => {
    const { child, finished } = await burner(true);
    const stop = cpuMeter(child.pid!);
    const used = await finished;
    const use = stop();
    child.kill();
    expect(use.wall).toBeGreaterThan(0);
    // What the child measured for itself, within /proc's 10 ms ticks (and the worker's start-up).
    expect(use.server).toBeGreaterThanOrEqual(used - 0.03);
    expect(use.server).toBeLessThan(used + 0.2);
    // The same work on each thread: the main thread had about half.
    expect(use.serverMain).toBeGreaterThan(use.server * 0.25);
    expect(use.serverMain).toBeLessThan(use.server * 0.75);
    expect(use.cores).toBeGreaterThanOrEqual(1);
    expect(use.machineBusy).toBeGreaterThan(0);
    expect(use.machineBusy).toBeLessThanOrEqual(1);
  });

  it("reads this process's own CPU as the load generator's", async () => {
    const { child, finished } = await burner(false);
    await finished;
    const stop = cpuMeter(child.pid!);
    const before = process.cpuUsage();
    let h = 0;
    while (process.cpuUsage(before).user < 250_000) h = (h + Math.sqrt(h + 1)) % 1e9; // the "generator" works
    const use = stop();
    child.kill();
    expect(use.generator).toBeGreaterThanOrEqual(0.25);
    expect(use.server).toBeLessThan(0.05);
  });

  it('gives NaN for a process that is gone', () => {
    expect(processCpuSeconds(2 ** 22 + 12345)).toBeNaN();
  });
});

describe('the report on the CPU', () => {
  const stats = (ok: number, seconds = 10): LoadStats => ({
    seconds, ok, perSecond: ok / seconds, p50: 1, p99: 2, max: 3, windows: [], sent: ok, non2xx: 0, errors: 0, timeouts: 0, statusCodes: {},
  });
  const use = (server: number, serverMain: number, generator: number) => ({ wall: 10, server, serverMain, generator, machineBusy: 0.9, cores: 2 });

  it('charges the counts answers at their idle cost and the rest to the signatures, and says what the goals would take', () => {
    const phase = {
      label: 'empty, counted at once',
      sign: stats(10_000), // 1,000/s
      counts: stats(50_000), // 5,000/s
      idle: stats(100_000), // 10,000/s alone
      // 10 s of server CPU: the 50,000 counts answers at 50 µs (2.5 s), 7.5 s for 10,000 signatures: 750 µs each.
      cpu: use(10, 6, 4),
      idleCpu: use(5, 4.5, 6),
    } as unknown as SigningPhase;
    const lines: string[] = [];
    const rows: string[][] = [];
    cpuSection({ signing: [phase], baselines: { skipped: 'none here' } } as unknown as Report, lines, (_head, r) => rows.push(...r));
    expect(rows[0]).toEqual(['signing: empty, counted at once', '1.00 (0.60)', '0.40', '90 %', '≈ 750 µs a signature']);
    expect(rows[1]).toEqual(['counts alone: empty, counted at once', '0.50 (0.45)', '0.60', '90 %', '50 µs a counts answer']);
    // 5,000 × 750 µs = 3.75 cores, 15,000 × 50 µs = 0.75: 4.5 cores; the generator, 4 s over 60,000 requests.
    const text = lines.join('\n');
    expect(text).toContain('**4.5 cores of server CPU** (3.8 for the signatures, 0.8 for the counts)');
    expect(text).toContain('at its measured 67 µs of CPU a request, 1.3 more, on a machine of 2.');
  });

  it('writes nothing without readings', () => {
    const lines: string[] = [];
    cpuSection({ signing: [{ sign: stats(1), counts: stats(1) }], baselines: { skipped: 'x' } } as unknown as Report, lines, () => {});
    expect(lines).toEqual([]);
  });
});
