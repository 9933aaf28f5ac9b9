/**
 * Where the CPU went during a load: the server process (all its threads: the database thread too), the load
 * generator (this process: autocannon, and the SMTP sink when one runs), and the whole machine. On a machine
 * whose cores the generator and the server share, these say what limits a figure: a server that used its
 * share of the cores at some CPU cost per request cannot answer more requests than that share buys.
 *
 * Linux only (`/proc`); elsewhere the meter reads nothing and the report says so.
 */
import { readFileSync } from 'node:fs';

/** Seconds of CPU per tick of `/proc` (USER_HZ: 100 on every Linux this runs on; `getconf CLK_TCK`). */
const TICK_SECONDS = 0.01;

export interface CpuUse {
  /** Wall-clock seconds measured over. */
  wall: number;
  /** CPU seconds of the server process, every thread. */
  server: number;
  /** CPU seconds of the server's main thread (the JavaScript event loop: HTTP, validation, crypto). */
  serverMain: number;
  /** CPU seconds of this process (the load generator). */
  generator: number;
  /** Fraction of the machine's cores that were busy (all processes). */
  machineBusy: number;
  cores: number;
}

interface Reading {
  at: number;
  server: number;
  serverMain: number;
  generator: number;
  busy: number;
  total: number;
  cores: number;
}

/** CPU seconds of a process, every thread (utime + stime), or NaN when it cannot be read. */
export function processCpuSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_SECONDS;
  } catch {
    return Number.NaN;
  }
}

function machineTicks(): { busy: number; total: number; cores: number } {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const [, ...values] = lines[0]!.trim().split(/\s+/);
    const n = values.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = n[3]! + n[4]!;
    return { busy: total - idle, total, cores: lines.filter((line) => /^cpu\d/.test(line)).length };
  } catch {
    return { busy: Number.NaN, total: Number.NaN, cores: 0 };
  }
}

function read(serverPid: number): Reading {
  const usage = process.cpuUsage();
  // The main thread's id is the process id.
  return { at: performance.now(), server: processCpuSeconds(serverPid), serverMain: processCpuSeconds(serverPid, serverPid), generator: (usage.user + usage.system) / 1e6, ...machineTicks() };
}

/** Starts measuring; the returned function ends the measurement and gives what was used meanwhile. */
export function cpuMeter(serverPid: number): () => CpuUse {
  const start = read(serverPid);
  return () => {
    const end = read(serverPid);
    return {
      wall: (end.at - start.at) / 1000,
      server: end.server - start.server,
      serverMain: end.serverMain - start.serverMain,
      generator: end.generator - start.generator,
      machineBusy: (end.busy - start.busy) / (end.total - start.total),
      cores: end.cores,
    };
  };
}

/** A measurement in cores (CPU seconds over wall seconds). */
export const cores = (cpuSeconds: number, use: CpuUse) => cpuSeconds / use.wall;
