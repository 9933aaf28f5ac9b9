/**
 * Load for the fault harness: signers over keep-alive connections, each signature distinct and carrying
 * its own Idempotency-Key, every answer recorded (status, `Retry-After`, `Connection: close`, when). A
 * signature is acknowledged only by a 2xx; one that got no answer or a 5xx is kept to be sent again, with
 * the same key and body, as a client would after a failure.
 */
import { Agent, request } from 'node:http';
import { COUNTY_CODES } from '@imlu/contracts';
import { normalisePhone } from '../src/signing/normalise.ts';
import { ORIGIN } from './crash-server.ts';

export interface SignatureSpec {
  index: number;
  key: string;
  body: string;
  /** The contact as the server stores it (E.164 phone, or the e-mail address), to find it after decrypting. */
  contact: string;
}

export type ContactKind = 'phone' | 'email';

/** Distinct signers for a whole harness run, across restarts. */
export class SignatureSource {
  #next = 0;
  constructor(
    readonly runId: string,
    readonly kind: ContactKind,
  ) {}

  take(): SignatureSpec {
    const index = this.#next++;
    // 0710000000 upwards: valid, distinct Kenyan mobile numbers (Safaricom's 071x range).
    const phone = `07${String(10_000_000 + index)}`;
    const email = `signer-${this.runId}-${index}@example.org`;
    const body = {
      name: `Crash Signer ${index}`,
      ...(this.kind === 'phone' ? { phone } : { email }),
      county: COUNTY_CODES[index % COUNTY_CODES.length],
      consent: { terms: true, shareWithTargets: index % 2 === 0 },
      locale: index % 3 === 0 ? 'sw' : 'en',
    };
    return { index, key: `crash-${this.runId}-${index}`, body: JSON.stringify(body), contact: this.kind === 'phone' ? normalisePhone(phone)! : email };
  }
}

export interface Answer {
  status: number;
  retryAfter: string | null;
  connectionClose: boolean;
  /** `performance.now()` when the request was sent and when its answer was complete. */
  startedAt: number;
  endedAt: number;
}

export function keepAliveAgent(connections: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: connections });
}

/** One request; resolves with the answer, rejects on a network error (refused, reset). */
export function send(agent: Agent, url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'] ?? null,
          connectionClose: (res.headers.connection ?? '').toLowerCase() === 'close',
          startedAt,
          endedAt: performance.now(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export class SigningLoad {
  readonly acknowledged = new Map<string, SignatureSpec>();
  /** Sent, not acknowledged: to be sent again (same key, same body). */
  readonly unanswered: SignatureSpec[] = [];
  readonly answers: Answer[] = [];
  networkErrors = 0;
  /** Answers that are neither 2xx nor 503 (should be none). */
  unexpected = 0;
  readonly #agent: Agent;
  readonly #url: string;
  readonly #source: SignatureSource;
  readonly #retry: SignatureSpec[];
  #running = false;
  #loops: Promise<void>[] = [];

  constructor(apiUrl: string, slug: string, source: SignatureSource, options: { connections: number; retry?: SignatureSpec[] }) {
    this.#agent = keepAliveAgent(options.connections);
    this.#url = `${apiUrl}/v1/campaigns/${slug}/signatures`;
    this.#source = source;
    this.#retry = [...(options.retry ?? [])];
    this.connections = options.connections;
  }

  readonly connections: number;

  start(): void {
    this.#running = true;
    this.#loops = Array.from({ length: this.connections }, () => this.#loop());
  }

  /** Stops sending; resolves when every request in flight has its answer or its error. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    this.#agent.destroy();
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      const spec = this.#retry.shift() ?? this.#source.take();
      try {
        const answer = await send(this.#agent, this.#url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN, 'idempotency-key': spec.key },
          body: spec.body,
        });
        this.answers.push(answer);
        if (answer.status >= 200 && answer.status < 300) this.acknowledged.set(spec.contact, spec);
        else {
          if (answer.status !== 503) this.unexpected++;
          this.unanswered.push(spec);
          // The server said when to come back; a 503 during a fault must not become a hot loop.
          if (answer.status === 503) await pause(Math.min(1000, Number(answer.retryAfter ?? 1) * 1000) / 4);
        }
      } catch {
        this.networkErrors++;
        this.unanswered.push(spec);
        await pause(10);
      }
    }
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs a URL over and over (one at a time) until stopped, recording each answer's time. */
export class Poller {
  readonly answers: Answer[] = [];
  errors = 0;
  #running = true;
  readonly #done: Promise<void>;

  constructor(url: string, intervalMs: number) {
    const agent = keepAliveAgent(1);
    this.#done = (async () => {
      while (this.#running) {
        try {
          this.answers.push(await send(agent, url));
        } catch {
          this.errors++;
        }
        await pause(intervalMs);
      }
      agent.destroy();
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }

  /** The slowest answer among those in progress at any time within [from, to] (a stalled one began before). */
  slowest(from: number, to: number): number {
    return Math.max(0, ...this.answers.filter((a) => a.startedAt <= to && a.endedAt >= from).map((a) => a.endedAt - a.startedAt));
  }
}
