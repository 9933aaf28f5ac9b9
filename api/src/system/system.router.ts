import { createRouter } from '../http/openapi.ts';
import { getHealthHandler, getReadyHandler } from './system.handlers.ts';
import { getHealth, getReady } from './system.routes.ts';

/** Liveness and readiness, mounted at `/`. */
export function systemRouter() {
  return createRouter().openapi(getHealth, getHealthHandler).openapi(getReady, getReadyHandler);
}
