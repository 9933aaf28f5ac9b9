/**
 * A local HTTP server that speaks Africa's Talking's SMS API (`POST /version1/messaging`, form-encoded,
 * `apiKey` header, JSON answer with `SMSMessageData.Recipients[]`), on loopback. It checks what a real
 * gateway would check and records every message it accepted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSms {
  to: string;
  message: string;
  from: string | null;
  messageId: string;
}

export interface TestAfricasTalking {
  baseUrl: string;
  username: string;
  apiKey: string;
  sent: FakeSms[];
  /** Per-number recipient status code to answer instead of 101 Success (e.g. 403 InvalidPhoneNumber). */
  recipientStatus: Map<string, number>;
  /** HTTP status to answer for every request while set (e.g. 500). */
  httpStatus: number | undefined;
  stop(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = { 101: 'Success', 403: 'InvalidPhoneNumber', 405: 'InsufficientBalance', 406: 'UserInBlacklist' };

export async function startTestAfricasTalking(): Promise<TestAfricasTalking> {
  const state = {
    username: 'sandbox',
    apiKey: 'atsk_test_key',
    sent: [] as FakeSms[],
    recipientStatus: new Map<string, number>(),
    httpStatus: undefined as number | undefined,
  };
  let next = 1;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || request.url !== '/version1/messaging') return reply(404, { error: 'not found' });
      if (state.httpStatus) return reply(state.httpStatus, { error: 'unavailable' });
      if (request.headers.apikey !== state.apiKey) return reply(401, { error: 'The supplied authentication is invalid' });
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return reply(415, {});
      if (!String(request.headers.accept).includes('application/json')) return reply(406, {});
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('username') !== state.username) return reply(401, { error: 'Invalid username' });
      const to = form.get('to') ?? '';
      const message = form.get('message') ?? '';
      if (!to || !message) return reply(400, { error: 'to and message are required' });
      const statusCode = state.recipientStatus.get(to) ?? 101;
      const messageId = `ATXid_${next++}`;
      if (statusCode === 101) state.sent.push({ to, message, from: form.get('from'), messageId });
      return reply(201, {
        SMSMessageData: {
          Message: `Sent to ${statusCode === 101 ? 1 : 0}/1 Total Cost: KES 0.8000`,
          Recipients: [
            { statusCode, number: to, status: STATUS_NAMES[statusCode] ?? 'Failed', cost: 'KES 0.8000', messageId: statusCode === 101 ? messageId : 'None' },
          ],
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
