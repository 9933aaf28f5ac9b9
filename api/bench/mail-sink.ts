/**
 * An SMTP server that accepts every message and keeps none, for the phases on a campaign that confirms by
 * e-mail: the server under test runs as in a deployment with `SMTP_URL` set (its outbox worker claims,
 * sends and marks each confirmation message while signatures keep coming), and no real mail leaves the
 * machine. It runs in a process of its own so that receiving mail does not slow the load generator's
 * event loop, which times every answer.
 *
 * `startMailSink()` starts it; run directly, it prints `listening <port>` and, on SIGTERM, `received <n>`.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const SELF = fileURLToPath(import.meta.url);

export interface MailSink {
  url: string;
  /** Stops the sink; resolves with the number of messages it accepted. */
  stop(): Promise<number>;
}

export async function startMailSink(): Promise<MailSink> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { cwd: path.dirname(SELF), stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mail sink did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then((code) => reject(new Error(`the mail sink exited with ${code}:\n${output}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const match = /received (\d+)/.exec(output);
      if (!match) throw new Error(`the mail sink did not report:\n${output}`);
      return Number(match[1]);
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback, as a local relay would take it.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.server.address() as AddressInfo).port}`));
  process.once('SIGTERM', () => {
    console.log(`received ${received}`);
    process.exit(0);
  });
}
