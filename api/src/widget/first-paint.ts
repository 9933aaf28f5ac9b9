/**
 * The petition's first paint as the API serves it (`GET /v1/campaigns/:slug/first-paint`): the widget's
 * own element rendered by Lit's server renderer (packages/widget/src/server/first-paint.ts). The renderer
 * is loaded on the first request, not at start: it brings Lit and a minimal DOM shim into this process,
 * which no other route needs. It is imported by path, not by package name, so that the API's type check
 * (no DOM types) does not follow it into the widget's sources; `FirstPaintRenderer` is its signature.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CampaignForm, Locale } from '@imlu/contracts';
import { REPO_ROOT } from '../config/env.ts';

export type FirstPaintRenderer = (data: CampaignForm, locale: Locale, now?: number) => Promise<string | undefined>;

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'packages', 'widget', 'src', 'server', 'first-paint.ts')).href;

let renderer: Promise<FirstPaintRenderer> | undefined;

export function firstPaintRenderer(): Promise<FirstPaintRenderer> {
  renderer ??= (import(MODULE) as Promise<{ petitionFirstPaint: FirstPaintRenderer }>).then(
    (module) => module.petitionFirstPaint,
    (error: unknown) => {
      renderer = undefined;
      throw error;
    },
  );
  return renderer;
}
