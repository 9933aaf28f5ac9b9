/** The machine a benchmark ran on, for the tables in docs/performance.md. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** `loadAtStart`: `os.loadavg()` when the run began, so a reader can tell a quiet machine from a busy one. */
export function describeMachine(loadAtStart?: number[]): string {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  const load = (loads: number[]) => loads.map((l) => l.toFixed(2)).join(' / ');
  return [
    `- CPU: ${cpu}, ${availableParallelism()} logical cores (nproc)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${process.platform}/${process.arch}`,
    ...(loadAtStart ? [`- Load average (1 / 5 / 15 min) when the run began: ${load(loadAtStart)}; when it ended: ${load(loadavg())}`] : []),
    `- Load generator (autocannon 9) and server share the machine, over loopback; the server is one Node process.`,
  ].join('\n');
}
