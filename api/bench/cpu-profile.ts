/**
 * Reads a V8 `.cpuprofile` (`node --cpu-prof`) and says where the time went, by package or source folder,
 * optionally within a time window (the benchmark phases). Used by `request-path.ts`; also a CLI:
 *
 *     pnpm --filter @imlu/api exec tsx bench/cpu-profile.ts FILE.cpuprofile [requests]
 *
 * Self time only (each sample is charged to the function on top of the stack), grouped so that the HTTP
 * layer (Node's HTTP, @hono/node-server, Hono, our `src/http`) can be told from the signing work.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in the window, µs, idle included. */
  totalUs: number;
  idleUs: number;
  /** Self time per group, µs, largest first (idle left out). */
  groups: [string, number][];
  /** Self time per function (`name group`), µs, largest first. */
  functions: [string, number][];
}

/** Where a frame belongs: a package, a folder of ours, a part of Node, or V8's own bookkeeping. */
export function groupOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(program)') return 'program (native, outside JS)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const pkg = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) {
    const name = url.slice(5);
    if (/^_http_|^http$|^internal\/http/.test(name)) return 'node:http';
    if (/^net$|^internal\/(?:net|stream_base_commons|dns)/.test(name)) return 'node:net';
    if (/stream/.test(name)) return 'node:streams';
    if (/^internal\/(?:webstreams|deps\/undici|fetch)/.test(name) || name.includes('undici')) return 'node:web (undici, streams)';
    if (/^internal\/(?:process\/task_queues|timers|async_hooks)|^timers$/.test(name)) return 'node:event loop (timers, microtasks)';
    if (/crypto/.test(name)) return 'node:crypto';
    return `node:${name.replace(/^internal\//, '').split('/')[0]}`;
  }
  const ours = /\/(api\/src|api\/bench|packages\/[^/]+\/src)\/(.+)$/.exec(url);
  if (ours) {
    const [, root, file] = ours;
    const folder = file!.includes('/') ? file!.split('/')[0] : path.basename(file!);
    return `${root === 'api/src' ? 'src' : root}/${folder}`;
  }
  return 'other';
}

export function summariseProfile(file: string, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    if (window && (time < window.fromUs || time > window.toUs)) continue;
    const frame = byId.get(profile.samples[i]!)!.callFrame;
    const group = groupOf(frame.url, frame.functionName);
    totalUs += delta;
    if (group === 'idle') {
      idleUs += delta;
      continue;
    }
    groups.set(group, (groups.get(group) ?? 0) + delta);
    const name = `${frame.functionName || '(anonymous)'} ${group}${frame.url.startsWith('node:') || !frame.url ? '' : `:${frame.lineNumber + 1}`}`;
    functions.set(name, (functions.get(name) ?? 0) + delta);
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { totalUs, idleUs, groups: sorted(groups), functions: sorted(functions) };
}

/** The groups that make up the HTTP layer: everything between the socket and our handlers. */
export const HTTP_LAYER = /^(?:node:http|node:net|node:streams|node:web|hono$|@hono\/|src\/http$|src\/app\.ts$)/;

/** A plain-text report: µs per request per group, the HTTP layer's sum, and the hottest functions. */
export function renderSummary(summary: ProfileSummary, requests: number, top = 15): string {
  const per = (us: number) => (us / requests).toFixed(1);
  const busy = summary.totalUs - summary.idleUs;
  const http = summary.groups.filter(([g]) => HTTP_LAYER.test(g)).reduce((sum, [, us]) => sum + us, 0);
  const lines = [
    `${requests} requests; busy ${(busy / 1000).toFixed(0)} ms of ${(summary.totalUs / 1000).toFixed(0)} ms sampled: ${per(busy)} µs per request, of which the HTTP layer ${per(http)} µs`,
    '  µs/request  group',
    ...summary.groups.slice(0, 20).map(([g, us]) => `  ${per(us).padStart(10)}  ${g}`),
    '  µs/request  hottest functions (self time)',
    ...summary.functions.slice(0, top).map(([f, us]) => `  ${per(us).padStart(10)}  ${f}`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [file, requests] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/cpu-profile.ts FILE.cpuprofile [requests]');
    process.exit(2);
  }
  console.info(renderSummary(summariseProfile(file), Number(requests ?? 1)));
}
