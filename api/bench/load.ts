/**
 * Load for the benchmarks: autocannon connections driving one URL each, started together, with every
 * response's latency recorded by the time it arrived, so a run reports its throughput and p99 per window
 * (a decline over a minute shows as falling windows) as well as over the whole run.
 */
import autocannon from 'autocannon';

/** Latencies in buckets 1 % apart (10 µs to over a minute): constant memory at any request rate. */
export class LatencyHistogram {
  static readonly #MIN = 0.01;
  static readonly #GROWTH = Math.log(1.01);
  readonly #buckets = new Uint32Array(1600);
  count = 0;
  max = 0;

  record(ms: number): void {
    const index = ms <= LatencyHistogram.#MIN ? 0 : Math.min(this.#buckets.length - 1, Math.ceil(Math.log(ms / LatencyHistogram.#MIN) / LatencyHistogram.#GROWTH));
    this.#buckets[index]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** The latency `q` of the requests were at or under (the bucket's upper edge, at most 1 % high); 0 when empty. */
  quantile(q: number): number {
    if (!this.count) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      seen += this.#buckets[i]!;
      if (seen >= rank) return Math.min(this.max, LatencyHistogram.#MIN * Math.exp(i * LatencyHistogram.#GROWTH));
    }
    return this.max;
  }
}

export interface LoadSpec {
  url: string;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Each request's body and extra headers, by its sequence number (absent: the same request every time). */
  request?: (i: number) => { body: string; headers?: Record<string, string> };
}

export interface LoadWindow {
  /** Seconds from the start of the load. */
  from: number;
  to: number;
  /** 2xx answers that arrived in the window, per second. */
  perSecond: number;
  p99: number;
}

export interface LoadStats {
  seconds: number;
  /** 2xx answers. */
  ok: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  windows: LoadWindow[];
  sent: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** True when a run had a refused, failed or timed-out request: such a run measures the failure, not the path. */
export const failed = (stats: LoadStats) => stats.non2xx > 0 || stats.errors > 0 || stats.timeouts > 0 || stats.ok === 0;

/** Drives every spec at once for `seconds`; windows of `windowSeconds` (the last one may be shorter). */
export async function runLoad(specs: LoadSpec[], seconds: number, windowSeconds: number): Promise<LoadStats[]> {
  const started = performance.now();
  const windowCount = Math.ceil(seconds / windowSeconds);
  const runs = specs.map((spec) => {
    const all = new LatencyHistogram();
    const windows = Array.from({ length: windowCount }, () => ({ ok: 0, latency: new LatencyHistogram() }));
    let next = 0;
    const build = spec.request;
    const options: autocannon.Options = {
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      method: spec.method ?? 'GET',
      headers: spec.headers,
      requests: build
        ? [
            {
              setupRequest: (request) => {
                const { body, headers } = build(next++);
                return { ...request, body, headers: { ...request.headers, ...headers } };
              },
            },
          ]
        : undefined,
    };
    // With a callback autocannon returns its instance, whose 'response' events carry each latency.
    let instance!: autocannon.Instance;
    const done = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(options, (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
    });
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      all.record(ms);
      // An answer after the deadline (autocannon is stopping) belongs to no window: counting it in the
      // last one would flatter the end of the run.
      const window = windows[Math.floor((performance.now() - started) / 1000 / windowSeconds)];
      if (!window) return;
      window.latency.record(ms);
      if (statusCode >= 200 && statusCode < 300) window.ok++;
    });
    return { done, all, windows };
  });
  const results = await Promise.all(runs.map((run) => run.done));
  return results.map((result, i): LoadStats => {
    const { all, windows } = runs[i]!;
    return {
      seconds,
      ok: result['2xx'],
      perSecond: result['2xx'] / result.duration,
      p50: all.quantile(0.5),
      p99: all.quantile(0.99),
      max: all.max,
      windows: windows.map((window, w) => {
        const from = w * windowSeconds;
        const to = Math.min(seconds, from + windowSeconds);
        return { from, to, perSecond: window.ok / (to - from), p99: window.latency.quantile(0.99) };
      }),
      sent: result.requests.sent,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0])),
    };
  });
}
