import { createRouter } from '../http/openapi.ts';
import { getConfirmationHandler } from './confirm.handlers.ts';
import { getConfirmation } from './confirm.routes.ts';

/** Confirmation links, mounted at `/`. */
export function confirmRouter() {
  return createRouter().openapi(getConfirmation, getConfirmationHandler);
}
