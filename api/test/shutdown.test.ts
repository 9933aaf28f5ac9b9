/**
 * Stopping under keep-alive: no new request is taken once a stop began (responses on open connections say
 * `Connection: close` and the connections close), running requests finish, and — for the real server as a
 * child process — a second SIGTERM does not cut the clean stop short.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/create.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { stoppable } from '../src/server.ts';
import { OPEN_CAMPAIGN, validSignature } from './helpers.ts';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A raw HTTP/1.1 keep-alive connection: requests written by hand, responses read as they come. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffer = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = once(socket, 'close');
  cleanups.push(() => void socket.destroy());
  return {
    socket,
    closed,
    send(pathname: string) {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
    },
    /** The next complete response (headers and a Content-Length body). */
    async response(): Promise<{ status: number; headers: string; body: string }> {
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = buffer.slice(0, end);
          const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
          if (buffer.length >= end + 4 + length) {
            const body = buffer.slice(end + 4, end + 4 + length);
            buffer = buffer.slice(end + 4 + length);
            return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body };
          }
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

describe('stoppable', () => {
  it('finishes the running request with Connection: close, closes idle keep-alive connections, refuses new ones', async () => {
    const held: ServerResponse[] = [];
    let arrived: () => void = () => {};
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      if (request.url === '/slow') {
        held.push(response);
        arrived();
        return;
      }
      response.end('fast');
    });
    const stopper = stoppable(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    cleanups.push(() => void server.closeAllConnections());

    // Two keep-alive connections: one idle after a request, one with a request running.
    const idle = rawConnection(port);
    idle.send('/fast');
    expect(await idle.response()).toMatchObject({ status: 200, body: 'fast' });
    const busy = rawConnection(port);
    busy.send('/fast');
    expect((await busy.response()).headers).not.toContain('connection: close');
    const running = new Promise<void>((resolve) => (arrived = resolve));
    busy.send('/slow');
    await running;

    let stopped = false;
    const stopping = stopper.stop(60_000).then(() => (stopped = true));
    // The idle connection is closed at once; nobody new gets in.
    await idle.closed;
    const refused = connect(port, '127.0.0.1');
    await expect(once(refused, 'connect')).rejects.toThrow(/ECONNREFUSED/);

    // The running request finishes, says Connection: close, and its connection closes after it.
    expect(stopped).toBe(false);
    held[0]!.end('slow done');
    const last = await busy.response();
    expect(last).toMatchObject({ status: 200, body: 'slow done' });
    expect(last.headers).toContain('connection: close');
    await busy.closed;
    await stopping;
    expect(stopped).toBe(true);
  });

  it('a request that arrives on an open connection after the stop began is answered with Connection: close', async () => {
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const server = createServer((request, response) => {
      if (request.url === '/hold') {
        arrived();
        release = () => response.end('held');
        return;
      }
      response.end('after');
    });
    const stopper = stoppable(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    cleanups.push(() => void server.closeAllConnections());

    // A client that pipelines: the second request is already on the wire when the stop begins.
    const connection = rawConnection(port);
    const running = new Promise<void>((resolve) => (arrived = resolve));
    connection.send('/hold');
    await running;
    const stopping = stopper.stop(60_000);
    connection.send('/next');
    release();
    const first = await connection.response();
    expect(first).toMatchObject({ status: 200, body: 'held' });
    expect(first.headers).toContain('connection: close');
    await connection.closed;
    await stopping;
  });
});

describe('src/main.ts', () => {
  it('a second SIGTERM during the stop is logged and does not skip it: every answered signature is stored, exit 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'imlu-shutdown-test-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const setup = await createDb(`file:${path.join(dataDir, 'imlu.db')}`);
    await migrateDb(setup);
    await createCampaign(setup, OPEN_CAMPAIGN);
    setup.close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: API_DIR,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'info',
        ALLOWED_ORIGINS: 'https://partner.example',
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    await expect.poll(() => /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(output)?.[1], { timeout: 30_000, interval: 100 }).toBeTruthy();
    const apiUrl = /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(output)![1]!;

    const sign = (i: number) =>
      fetch(`${apiUrl}/v1/campaigns/${OPEN_CAMPAIGN.slug}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://partner.example', 'Idempotency-Key': `shutdown-${i}` },
        body: JSON.stringify(validSignature({ phone: `07${String(20_000_000 + i)}`, name: `Signer ${i}` })),
      });
    for (let i = 0; i < 3; i++) expect((await sign(i)).status).toBe(201);

    // A request running when the signals come: its headers are in (the server said 100 Continue), its body
    // is not yet.
    const { port } = new URL(apiUrl);
    const socket = connect(Number(port), '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const body = JSON.stringify(validSignature({ phone: '0720999999', name: 'Last Signer' }));
    socket.write(
      `POST /v1/campaigns/${OPEN_CAMPAIGN.slug}/signatures HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Origin: https://partner.example\r\nIdempotency-Key: shutdown-last\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await expect.poll(() => received, { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 100 Continue/);

    child.kill('SIGTERM');
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/shutting down/);
    child.kill('SIGTERM');
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/already stopping/);
    socket.write(body);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(received).toMatch(/HTTP\/1\.1 201 Created/);
    expect(received.toLowerCase()).toContain('connection: close');

    const db = await createDb(`file:${path.join(dataDir, 'imlu.db')}`);
    try {
      const rows = Number((await db.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0]);
      expect(rows).toBe(4);
    } finally {
      db.close();
    }
  });
});
