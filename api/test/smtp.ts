/**
 * A real SMTP server in the test process (the `smtp-server` package), listening on loopback. Messages are
 * parsed with `mailparser` exactly as they arrived over the SMTP conversation. It can be stopped and
 * started again on the same port, to play a provider outage.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  url: string;
  received: ParsedMail[];
  /** Recipients refused with a permanent 550 at RCPT TO. */
  rejectRecipients: Set<string>;
  /** Resolves once `count` messages in total have arrived. */
  waitFor(count: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  restart(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const rejectRecipients = new Set<string>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const create = () =>
    new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: no certificate to trust in tests.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (rejectRecipients.has(address.address)) {
          const error = new Error('no such user') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail);
            for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  let server = create();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRecipients,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(received) }));
    },
    stop() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
    async restart() {
      server = create();
      await listen(port);
    },
  };
}

/** The confirmation link in a received message's text part. */
export function linkIn(mail: ParsedMail): string {
  const match = /https?:\/\/\S+\/v1\/confirm\/[\w.-]+/.exec(mail.text ?? '');
  if (!match) throw new Error('no confirmation link in the message');
  return match[0];
}
