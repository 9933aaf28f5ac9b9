/**
 * The petition's first paint as the API serves it (`GET /v1/campaigns/:slug/first-paint`): the widget's
 * own element rendered by Lit's server renderer (packages/widget/src/server/first-paint.ts), on a thread of
 * its own (./first-paint.worker.mjs): loading the renderer takes about a second of one core, which on the
 * thread that answers HTTP held every request for 0.3–0.6 s after a start. The thread is started once, on
 * demand: the server asks for it as it starts (src/server.ts), so that tests and the CLI, which do not serve
 * paints, never start it. The module is named by path, not by package name, so that the API's type check
 * (no DOM types) does not follow it into the widget's sources; `FirstPaintRenderer` is its signature.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CampaignForm, Locale } from '@imlu/contracts';
import { REPO_ROOT } from '../config/env.ts';

export type FirstPaintRenderer = (data: CampaignForm, locale: Locale, now?: number) => Promise<string | undefined>;

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'packages', 'widget', 'src', 'server', 'first-paint.ts')).href;
const WORKER_URL = new URL('./first-paint.worker.mjs', import.meta.url);

type Reply = { ready: true } | { id: number; html: string | undefined } | { id: number; error: string };

let renderer: Promise<FirstPaintRenderer> | undefined;

/** The renderer, once its thread has loaded it; a thread that fails or exits is started afresh on the next call. */
export function firstPaintRenderer(): Promise<FirstPaintRenderer> {
  if (renderer) return renderer;
  const started: Promise<FirstPaintRenderer> = new Promise<FirstPaintRenderer>((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { module: MODULE }, execArgv: [] });
    // An idle renderer must not hold the process open; one with a render in flight does.
    worker.unref();
    const pending = new Map<number, { resolve: (html: string | undefined) => void; reject: (error: Error) => void }>();
    let nextId = 1;
    const render: FirstPaintRenderer = (data, locale, now) =>
      new Promise((resolveRender, rejectRender) => {
        const id = nextId++;
        pending.set(id, { resolve: resolveRender, reject: rejectRender });
        worker.ref();
        worker.postMessage({ id, data, locale, now });
      });
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) return resolve(render);
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (!pending.size) worker.unref();
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.html);
    });
    const fail = (error: Error) => {
      if (renderer === started) renderer = undefined;
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the first-paint thread exited with code ${code}`)));
  });
  renderer = started;
  return started;
}
