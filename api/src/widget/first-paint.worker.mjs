// The petition's first-paint renderer on a thread of its own (src/widget/first-paint.ts beside this file).
// Loading Lit's server renderer, its DOM shim and the widget's modules takes about a second of one core, and
// each render of a new view some milliseconds more: on the thread that answers HTTP the load held every request
// for 0.3–0.6 s after a start (issue 15, found by `pnpm bench:crash`). Here it holds nothing but this thread.
//
// Plain JavaScript on purpose, as the database thread's: a worker inherits no loader, so the widget's
// TypeScript comes in through tsx's scoped import, whatever started the process (node, tsx, vitest).
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/** @type {{ module: string }} */
const { module } = workerData;
const { petitionFirstPaint } = await tsImport(module, import.meta.url);
parentPort.on('message', async ({ id, data, locale, now }) => {
  try {
    parentPort.postMessage({ id, html: await petitionFirstPaint(data, locale, now) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
parentPort.postMessage({ ready: true });
