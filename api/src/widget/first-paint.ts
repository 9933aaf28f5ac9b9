/**
 * The petition's first paint as the API serves it (`GET /v1/campaigns/:slug/first-paint`): the widget's
 * own element rendered by Lit's server renderer (packages/widget/src/server/first-paint.ts). The renderer
 * is loaded once, on demand: the server loads it while it starts, before it listens (src/server.ts), so
 * that tests and the CLI, which do not serve paints, never bring Lit and its minimal DOM shim into their
 * process, and a running server never stops to load it. It is imported by path, not by package name, so that the API's type check
 * (no DOM types) does not follow it into the widget's sources; `FirstPaintRenderer` is its signature.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CampaignForm, Locale } from '@imlu/contracts';
import { REPO_ROOT } from '../config/env.ts';

export type FirstPaintRenderer = (data: CampaignForm, locale: Locale, now?: number) => Promise<string | undefined>;

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'packages', 'widget', 'src', 'server', 'first-paint.ts')).href;

let renderer: Promise<FirstPaintRenderer> | undefined;
let loaded = false;

/** True once the renderer has loaded in this process (the server waits for it before it listens). */
export const firstPaintRendererLoaded = () => loaded;

export function firstPaintRenderer(): Promise<FirstPaintRenderer> {
  renderer ??= (import(MODULE) as Promise<{ petitionFirstPaint: FirstPaintRenderer }>).then(
    (module) => {
      loaded = true;
      return module.petitionFirstPaint;
    },
    (error: unknown) => {
      renderer = undefined;
      throw error;
    },
  );
  return renderer;
}
