/** The machine a benchmark ran on, for the tables in docs/performance.md. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

export function describeMachine(): string {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  return [
    `- CPU: ${cpu}, ${availableParallelism()} logical cores (nproc)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${process.platform}/${process.arch}`,
    `- Load generator (autocannon 9) and server share the machine, over loopback; the server is one Node process.`,
  ].join('\n');
}
